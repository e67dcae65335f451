// Runs API calls with the official Node.js SDK (tencentcloud-sdk-nodejs-cvm),
// configured as its README shows with this server's endpoint. The client
// set-up is the README's "Node.js" snippet, word for word.
//
//   ENDPOINT=127.0.0.1:8080 REQ_METHOD=POST SIGN_METHOD=TC3-HMAC-SHA256 \
//   TENCENTCLOUD_SECRET_ID=... TENCENTCLOUD_SECRET_KEY=... \
//   node cvm.js '[{"action":"DescribeRegions","params":{}}]'
//
// It prints one JSON line: a list with, for each call in order, either
// {"result": <the SDK's response>} or {"error": {"code", "message",
// "requestId"}} as the SDK reports it. The calls run one after the other.
const { cvm } = require("tencentcloud-sdk-nodejs-cvm")

const CvmClient = cvm.v20170312.Client

const client = new CvmClient({
  credential: {
    secretId: process.env.TENCENTCLOUD_SECRET_ID,
    secretKey: process.env.TENCENTCLOUD_SECRET_KEY,
  },
  region: "ap-guangzhou",
  profile: {
    signMethod: process.env.SIGN_METHOD, // "TC3-HMAC-SHA256" (the default), "HmacSHA256" or "HmacSHA1"
    httpProfile: {
      endpoint: process.env.ENDPOINT, // host:port of the console, e.g. "127.0.0.1:8080"
      protocol: "http://", // "https://" behind TLS
      reqMethod: process.env.REQ_METHOD, // "POST" (the default) or "GET"
    },
  },
})

async function main() {
  const calls = JSON.parse(process.argv[2] || "[]")
  const out = []
  for (const { action, params } of calls) {
    try {
      out.push({ result: await client[action](params || {}) })
    } catch (err) {
      out.push({ error: { code: err.code || "", message: err.message || String(err), requestId: err.requestId || "" } })
    }
  }
  // BigInt: the SDK parses numbers beyond 2^53 as BigInt, which JSON.stringify refuses.
  console.log(JSON.stringify(out, (_, v) => (typeof v === "bigint" ? v.toString() : v)))
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
