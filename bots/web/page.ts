// The simulator page: a phone-sized chat, SMS-width bubbles, no build step and no dependencies.
// Pushes (messages the bot sends by itself) are fetched every few seconds.
export const simulatorPage = /* html */ `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>就业直通车 · 模拟手机</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; background: #e9edf1; display: flex; justify-content: center; }
  .phone { width: 100%; max-width: 380px; height: 100vh; display: flex; flex-direction: column; background: #f7f7f7; border-left: 1px solid #ccd; border-right: 1px solid #ccd; }
  header { padding: 10px 14px; background: #1f7a4d; color: #fff; }
  header h1 { font-size: 17px; margin: 0; }
  header label { font-size: 13px; opacity: .9; }
  header input { width: 9.5em; font: inherit; font-size: 13px; padding: 1px 4px; border-radius: 4px; border: 0; }
  #chat { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; }
  .bubble { max-width: 17em; padding: 7px 11px; border-radius: 14px; white-space: pre-wrap; word-break: break-all; }
  .bot { align-self: flex-start; background: #fff; border: 1px solid #dde; }
  .bot.push { border-color: #e0a800; }
  .me { align-self: flex-end; background: #9fe07a; }
  .hint { align-self: center; font-size: 12px; color: #778; }
  form { display: flex; gap: 6px; padding: 8px; border-top: 1px solid #dde; background: #fff; }
  #text { flex: 1; font: inherit; padding: 8px; border: 1px solid #bbc; border-radius: 8px; }
  button { font: inherit; padding: 8px 14px; border: 0; border-radius: 8px; background: #1f7a4d; color: #fff; }
</style>
</head>
<body>
<div class="phone">
  <header>
    <h1>就业直通车</h1>
    <label>我的号码 <input id="from" autocomplete="off" aria-label="我的号码"></label>
  </header>
  <div id="chat" aria-live="polite"><div class="hint">像发短信一样，回复数字即可。试试发“你好”。</div></div>
  <form id="composer">
    <input id="text" autocomplete="off" placeholder="输入消息" aria-label="消息">
    <button type="submit">发送</button>
  </form>
</div>
<script>
  const chat = document.getElementById("chat");
  const from = document.getElementById("from");
  const text = document.getElementById("text");
  from.value = localStorage.getItem("zt-sim-from") || "web-" + Math.random().toString(36).slice(2, 8);
  let shown = 0; // messages from the server inbox already on screen

  function bubble(content, who, extra) {
    const div = document.createElement("div");
    div.className = "bubble " + who + (extra ? " " + extra : "");
    div.textContent = content;
    chat.appendChild(div);
    chat.scrollTop = chat.scrollHeight;
  }

  async function inbox() {
    const response = await fetch("/api/simulator/messages?to=" + encodeURIComponent(from.value));
    if (!response.ok) return [];
    return (await response.json()).messages;
  }

  async function showPushes() {
    const messages = await inbox();
    for (const message of messages.slice(shown)) bubble(message.text, "bot", message.purpose === "reply" ? "" : "push");
    shown = Math.max(shown, messages.length);
  }

  from.addEventListener("change", async () => {
    localStorage.setItem("zt-sim-from", from.value);
    chat.replaceChildren();
    shown = 0;
    await showPushes();
  });

  document.getElementById("composer").addEventListener("submit", async (event) => {
    event.preventDefault();
    const message = text.value;
    if (!message.trim()) return;
    text.value = "";
    localStorage.setItem("zt-sim-from", from.value);
    bubble(message, "me");
    try {
      const response = await fetch("/api/simulator/messages", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ from: from.value, text: message, id: Date.now().toString(36) + Math.random().toString(36).slice(2) }),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
      for (const reply of body.replies) bubble(reply.text, "bot");
      shown += body.replies.length;
    } catch (error) {
      bubble("发送失败：" + error.message + "，请再试一次。", "hint");
    }
    text.focus();
  });

  showPushes();
  setInterval(showPushes, 4000);
</script>
</body>
</html>`;
