/**
 * Node-RED settings of the `peers` benchmark: headless (no editor, no HTTP
 * server), nothing sent anywhere, the flow's state in memory. The NATS
 * client and msgpackr are handed to function nodes through
 * `functionGlobalContext` (`global.get("natsTransport")` and so on), the
 * documented way to use a module already installed next to Node-RED, so
 * nothing is installed when the flow starts.
 *
 *   node node_modules/node-red/red.js --settings bench/peers/node-red/settings.cjs --userDir DIR DIR/flows.json
 */
module.exports = {
  httpAdminRoot: false,
  httpNodeRoot: false,
  disableEditor: true,
  credentialSecret: false,
  flowFilePretty: true,
  functionExternalModules: false,
  externalModules: { autoInstall: false, palette: { allowInstall: false } },
  functionGlobalContext: {
    natsTransport: require("@nats-io/transport-node"),
    natsJetstream: require("@nats-io/jetstream"),
    msgpackr: require("msgpackr"),
  },
  contextStorage: { default: { module: "memory" } },
  logging: { console: { level: "info", metrics: false, audit: false } },
  telemetry: { enabled: false },
  diagnostics: { enabled: false },
  runtimeState: { enabled: false },
  editorTheme: { tours: false },
};
