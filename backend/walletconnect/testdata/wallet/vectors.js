// Prints test vectors made by the WalletConnect SDK (the versions pinned in package-lock.json):
// X25519 keys and the derived session key and topic, envelopes of types 0, 1 and 2, a relay
// JWT, a pairing URI. It was run once; its output is ../vectors.json, which the Go tests check
// the Go crypto against. Regenerate with: node vectors.js > ../vectors.json
"use strict";

const utils = require("@walletconnect/utils");
const relayAuth = require("@walletconnect/relay-auth");
const { fromString } = require("uint8arrays/from-string");
const { toString } = require("uint8arrays/to-string");

const hex = (b) => toString(b, "base16");

async function main() {
  const a = utils.generateKeyPair();
  const b = utils.generateKeyPair();
  const symKeyAB = utils.deriveSymKey(a.privateKey, b.publicKey);
  const symKeyBA = utils.deriveSymKey(b.privateKey, a.publicKey);
  if (symKeyAB !== symKeyBA) throw new Error("key agreement is not symmetric");

  const payload = JSON.stringify({
    id: 1700000000000123,
    jsonrpc: "2.0",
    method: "wc_sessionRequest",
    params: { request: { method: "personal_sign", params: ["0x6869", "0x0000000000000000000000000000000000000001"] }, chainId: "eip155:1337" },
  });
  const iv = utils.generateRandomBytes32().slice(0, 24);
  const type0 = utils.encrypt({ symKey: symKeyAB, message: payload, iv });
  const type0Random = utils.encrypt({ symKey: symKeyAB, message: payload });
  const type1 = utils.encrypt({ type: 1, symKey: symKeyAB, message: payload, iv, senderPublicKey: a.publicKey });
  const type2 = utils.encodeTypeTwoEnvelope(payload);

  const seed = fromString(utils.generateRandomBytes32(), "base16");
  const kp = relayAuth.generateKeyPair(seed);
  const sub = utils.generateRandomBytes32();
  const aud = "wss://relay.walletconnect.org";
  const iat = 1700000000;
  const ttl = 86400;
  const jwt = await relayAuth.signJWT(sub, aud, ttl, kp, iat);

  const pairingKey = utils.generateRandomBytes32();
  const pairingTopic = utils.hashKey(pairingKey);
  const uri = utils.formatUri({
    protocol: "wc",
    version: 2,
    topic: pairingTopic,
    symKey: pairingKey,
    relay: { protocol: "irn" },
    expiryTimestamp: 1700000300,
  });

  const vectors = {
    comment: "Made by backend/walletconnect/testdata/wallet/vectors.js with the WalletConnect SDK; do not edit.",
    sdk: JSON.parse(require("node:fs").readFileSync(require("node:path").join(__dirname, "node_modules/@walletconnect/sign-client/package.json"), "utf8")).version,
    x25519: {
      privateA: a.privateKey,
      publicA: a.publicKey,
      privateB: b.privateKey,
      publicB: b.publicKey,
      symKey: symKeyAB,
      topic: utils.hashKey(symKeyAB),
    },
    envelopes: {
      symKey: symKeyAB,
      plaintext: payload,
      iv,
      type0,
      type0Random,
      type1,
      type1Sender: a.publicKey,
      type2,
    },
    jwt: {
      seed: hex(seed),
      publicKey: hex(kp.publicKey),
      iss: relayAuth.encodeIss(kp.publicKey),
      sub,
      aud,
      iat,
      ttl,
      token: jwt,
      valid: await relayAuth.verifyJWT(jwt),
    },
    uri: {
      symKey: pairingKey,
      topic: pairingTopic,
      expiryTimestamp: 1700000300,
      uri,
      parsed: utils.parseUri(uri),
    },
    messageHash: {
      message: type0,
      hash: utils.hashMessage(type0),
    },
  };
  process.stdout.write(JSON.stringify(vectors, null, 2) + "\n");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
