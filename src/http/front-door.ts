// The front door: what someone opening the service's address sees — what it is, and the ways in
// (the chat simulator, the console, the API description, the health check).
import { html } from "hono/html";
import type { Router } from "./context.ts";

export function mountFrontDoor(app: Router) {
  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/",
    summary: "The front door: what the service is, and links to the simulator, the console, this description and /health",
    responses: { 200: { description: "an HTML page" } },
  });
  app.get("/", (c) => {
    const { simulatorEnabled } = c.get("deps").config;
    return c.html(html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>就业直通车</title>
<style>
  body { margin: 0 auto; max-width: 40em; padding: 24px 16px; font: 16px/1.6 system-ui, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #1d2a22; }
  h1 { color: #1f7a4d; margin-bottom: 4px; }
  ul { padding-left: 1.2em; }
  li { margin: 10px 0; }
  a { color: #1f5fa8; }
  small { color: #667; }
</style>
</head>
<body>
<main>
  <h1>就业直通车</h1>
  <p>为建档立卡和脱贫劳动力免费找工作、领补贴：短信和微信里回复数字即可登记、看岗位、报名培训；村协理员在工作台跟进每个人的帮扶计划。</p>
  <ul>
    ${simulatorEnabled ? html`<li><a href="/simulator">模拟手机</a>：像工人一样发短信试一试</li>` : ""}
    <li><a href="/console">工作台</a>：协理员和县人社局登录</li>
    <li><a href="/openapi.json">接口说明</a> <small>(OpenAPI 3.1)</small></li>
    <li><a href="/health">运行状态</a></li>
  </ul>
</main>
</body>
</html>`);
  });
}
