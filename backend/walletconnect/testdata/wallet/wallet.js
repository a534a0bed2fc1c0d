// A phone wallet for tests: the real WalletConnect SDK (@walletconnect/sign-client, pinned in
// package-lock.json) pairs with the URI it is given and answers requests with its own key,
// sending transactions to a local chain. It talks to 127.0.0.1 only.
//
// Environment:
//   WC_RELAY_URL     ws://127.0.0.1:PORT (required)
//   WC_URI           the pairing URI to scan (required)
//   WC_PRIVATE_KEY   0x… secp256k1 key of the wallet's account (required)
//   WC_CHAIN_ID      eip155 chain id (default 1337)
//   WC_RPC_URL       the chain's JSON-RPC URL (for eth_sendTransaction)
//   WC_SESSION       approve | REJECT_SESSION
//   WC_REQUEST       approve | REJECT_TX | NEVER_ANSWER
//   WC_SUBSCRIBE     1: subscribe to the session topic explicitly after approving (for relays
//                    without implicit subscription: the SDK itself relies on it)
//   WC_LOG           SDK log level (default "error")
//
// Output: one line per event, "@@ <EVENT> <args…>" on stdout; everything else is SDK logging.
// Input: commands on stdin, one per line: EMIT <event> <json data> | UPDATE <json accounts> |
// EXTEND | PING | DISCONNECT. EOF ends the wallet.
"use strict";

const readline = require("node:readline");

// Never reach beyond the loopback. The SDK fetches Verify and telemetry endpoints on the
// internet (verify.walletconnect.org on every proposal and request); IS_VITEST is the SDK's own
// switch that turns both off (it also gates Link Mode listeners, which need React Native's
// global.Linking and so stay off in Node). Any fetch beyond the loopback that remains is refused
// before it leaves the process, and reported as BLOCKED.
process.env.IS_VITEST = "true";
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const u = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(u.hostname)) {
    out("BLOCKED", u.origin);
    throw new Error(`wallet.js: blocked a request to ${u.origin} (tests stay on 127.0.0.1)`);
  }
  return realFetch(input, init);
};

const { SignClient } = require("@walletconnect/sign-client");
const { buildApprovedNamespaces, getSdkError } = require("@walletconnect/utils");
const { ethers } = require("ethers");

function out(...parts) {
  process.stdout.write("@@ " + parts.join(" ") + "\n");
}

function env(name, def) {
  const v = process.env[name];
  if (v === undefined || v === "") {
    if (def === undefined) {
      out("ERROR", `missing ${name}`);
      process.exit(2);
    }
    return def;
  }
  return v;
}

// The SDK's key-value storage, in memory (the default in Node writes files in the working
// directory).
class MemoryStorage {
  constructor() {
    this.m = new Map();
  }
  async getKeys() {
    return [...this.m.keys()];
  }
  async getEntries() {
    return [...this.m.entries()].map(([k, v]) => [k, structuredClone(v)]);
  }
  async getItem(k) {
    const v = this.m.get(k);
    return v === undefined ? undefined : structuredClone(v);
  }
  async setItem(k, v) {
    this.m.set(k, structuredClone(v));
  }
  async removeItem(k) {
    this.m.delete(k);
  }
}

process.on("unhandledRejection", (e) => out("ERROR", "unhandled", String(e && e.message ? e.message : e).replace(/\s+/g, " ")));

async function main() {
  const relayUrl = env("WC_RELAY_URL");
  const uri = env("WC_URI");
  const chainId = Number(env("WC_CHAIN_ID", "1337"));
  const sessionMode = env("WC_SESSION", "approve");
  const requestMode = env("WC_REQUEST", "approve");
  const explicitSubscribe = env("WC_SUBSCRIBE", "0") === "1";
  const rpcUrl = env("WC_RPC_URL", "");
  const provider = rpcUrl ? new ethers.JsonRpcProvider(rpcUrl, chainId, { staticNetwork: true }) : null;
  const wallet = new ethers.Wallet(env("WC_PRIVATE_KEY"), provider);
  const caip2 = `eip155:${chainId}`;

  const client = await SignClient.init({
    relayUrl,
    telemetryEnabled: false,
    customStoragePrefix: `datashare-test-wallet-${process.pid}`,
    storage: new MemoryStorage(),
    logger: env("WC_LOG", "error"),
    metadata: {
      name: "Test Wallet (WalletConnect SDK)",
      description: "The real SDK acting as a phone wallet in DataShare's tests",
      url: "https://wallet.test",
      icons: [],
    },
  });
  let topic = null;

  client.on("session_proposal", async ({ id, params }) => {
    out("PROPOSAL", id);
    try {
      if (sessionMode === "REJECT_SESSION") {
        await client.reject({ id, reason: getSdkError("USER_REJECTED") });
        out("REJECTED_SESSION", id);
        return;
      }
      const namespaces = buildApprovedNamespaces({
        proposal: params,
        supportedNamespaces: {
          eip155: {
            chains: [caip2],
            methods: ["eth_sendTransaction", "personal_sign", "eth_signTypedData_v4"],
            events: ["chainChanged", "accountsChanged"],
            accounts: [`${caip2}:${wallet.address}`],
          },
        },
      });
      const session = await client.approve({ id, namespaces });
      topic = session.topic;
      if (explicitSubscribe) {
        await client.core.relayer.subscribe(topic);
      }
      out("SESSION", topic);
    } catch (e) {
      out("ERROR", "proposal", String(e.message || e).replace(/\s+/g, " "));
    }
  });

  client.on("session_request", async ({ id, topic: t, params }) => {
    const { request } = params;
    out("REQUEST", id, request.method);
    try {
      if (requestMode === "NEVER_ANSWER") {
        out("IGNORING", id);
        return;
      }
      if (requestMode === "REJECT_TX") {
        await client.respond({ topic: t, response: { id, jsonrpc: "2.0", error: getSdkError("USER_REJECTED") } });
        out("REJECTED", id);
        return;
      }
      let result;
      switch (request.method) {
        case "personal_sign":
          result = await wallet.signMessage(ethers.getBytes(request.params[0]));
          break;
        case "eth_signTypedData_v4": {
          const td = JSON.parse(request.params[1]);
          const types = { ...td.types };
          delete types.EIP712Domain;
          result = await wallet.signTypedData(td.domain, types, td.message);
          break;
        }
        case "eth_sendTransaction": {
          const tx = request.params[0];
          const sent = await wallet.sendTransaction({
            from: tx.from,
            to: tx.to,
            data: tx.data,
            value: tx.value ? BigInt(tx.value) : 0n,
            gasLimit: tx.gas ? BigInt(tx.gas) : undefined,
            chainId: BigInt(chainId),
          });
          result = sent.hash;
          break;
        }
        default:
          await client.respond({ topic: t, response: { id, jsonrpc: "2.0", error: getSdkError("UNSUPPORTED_METHODS") } });
          out("UNSUPPORTED", id, request.method);
          return;
      }
      await client.respond({ topic: t, response: { id, jsonrpc: "2.0", result } });
      out("ANSWERED", id, request.method, result);
    } catch (e) {
      out("ERROR", "request", id, String(e.message || e).replace(/\s+/g, " "));
      await client
        .respond({ topic: t, response: { id, jsonrpc: "2.0", error: { code: -32000, message: String(e.message || e) } } })
        .catch(() => {});
    }
  });

  client.on("session_request_expire", ({ id }) => out("REQUEST_EXPIRED", id));
  client.on("session_ping", ({ topic: t }) => out("PING", t));
  client.on("session_delete", ({ topic: t }) => {
    out("DELETED", t);
    if (t === topic) topic = null;
  });

  const rl = readline.createInterface({ input: process.stdin });
  rl.on("line", async (line) => {
    const [cmd, ...rest] = line.trim().split(" ");
    const arg = rest.join(" ");
    try {
      switch (cmd) {
        case "EMIT":
          await client.emit({ topic, event: { name: rest[0], data: JSON.parse(rest.slice(1).join(" ")) }, chainId: caip2 });
          out("EMITTED", rest[0]);
          break;
        case "UPDATE": {
          const accounts = JSON.parse(arg);
          const ns = client.session.get(topic).namespaces;
          ns.eip155.accounts = accounts;
          // SDK 2.25.0: acknowledged() never resolves if the peer answered before update()
          // returned (createDelayedPromise drops an early resolve); report the ack separately.
          const { acknowledged } = await client.update({ topic, namespaces: ns });
          out("UPDATED");
          acknowledged().then(() => out("UPDATE_ACKED"), () => {});
          break;
        }
        case "EXTEND": {
          const { acknowledged } = await client.extend({ topic });
          out("EXTENDED", client.session.get(topic).expiry);
          acknowledged().then(() => out("EXTEND_ACKED"), () => {});
          break;
        }
        case "PING":
          await client.ping({ topic });
          out("PONG");
          break;
        case "DISCONNECT":
          await client.disconnect({ topic, reason: getSdkError("USER_DISCONNECTED") });
          out("DISCONNECTED");
          break;
        default:
          out("ERROR", "unknown command", cmd);
      }
    } catch (e) {
      out("ERROR", cmd, String(e.message || e).replace(/\s+/g, " "));
    }
  });
  rl.on("close", async () => {
    await client.core.relayer.transportClose().catch(() => {});
    process.exit(0);
  });

  out("READY", wallet.address, await client.core.crypto.getClientId());
  await client.pair({ uri });
  out("PAIRED");
}

main().catch((e) => {
  out("ERROR", "fatal", String(e && e.message ? e.message : e).replace(/\s+/g, " "));
  process.exit(1);
});
