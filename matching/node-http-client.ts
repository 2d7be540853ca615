// A keep-alive node:http client in the shape the meilisearch package accepts as `httpClient`.
import http from "node:http";
import https from "node:https";
import { MeilisearchApiError, MeilisearchRequestError } from "meilisearch";
import type { HttpClient } from "./search-client.ts";

export function nodeHttpClient(): HttpClient & { close(): void } {
  const agents = {
    "http:": new http.Agent({ keepAlive: true, maxSockets: 64 }),
    "https:": new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };
  const client = (input: Parameters<typeof fetch>[0], init: Parameters<typeof fetch>[1] = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = Object.fromEntries(new Headers(init.headers) as unknown as Iterable<[string, string]>);
    const body = typeof init.body === "string" ? init.body : undefined;
    const transport = url.protocol === "https:" ? https : http;
    return new Promise<unknown>((resolve, reject) => {
      const request = transport.request(
        url,
        { method: init.method ?? "GET", headers, agent: agents[url.protocol as "http:" | "https:"] },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const parsed = text ? safeJson(text) : undefined;
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve(parsed);
            reject(new MeilisearchApiError(new Response(text, { status }), parsed as never));
          });
          response.on("error", reject);
        },
      );
      request.setTimeout(10_000, () => request.destroy(new Error(`search request timed out: ${url.pathname}`)));
      request.on("error", (error) => reject(new MeilisearchRequestError(url.toString(), error)));
      if (init.signal) init.signal.addEventListener("abort", () => request.destroy(new Error("aborted")), { once: true });
      request.end(body);
    });
  };
  return Object.assign(client, {
    close() {
      agents["http:"].destroy();
      agents["https:"].destroy();
    },
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
