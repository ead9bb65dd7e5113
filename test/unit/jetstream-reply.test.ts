import { describe, expect, it } from "vitest";
import { streamSequence } from "../../edge/nats/jetstream-source.js";

describe("streamSequence", () => {
  it("reads the stream sequence from both JetStream reply subject shapes", () => {
    expect(streamSequence("$JS.ACK.SENSORS.weir-e1.1.4711.12.1764500000000000000.33")).toBe(4711);
    expect(streamSequence("$JS.ACK.hub.ACCHASH.SENSORS.weir-e1.2.98.12.1764500000000000000.0.xyz")).toBe(98);
    expect(streamSequence("$JS.ACK.hub.ACCHASH.SENSORS.weir-e1.2.98.12.1764500000000000000.0")).toBe(98);
    expect(streamSequence("$JS.ACK.SENSORS.weir-e1.1.9007199254740991.12.1764500000000000000.33")).toBe(2 ** 53 - 1);
    expect(streamSequence("$JS.ACK.SENSORS.weir-e1.1.47x1.12.1764500000000000000.33")).toBe(0);
    expect(streamSequence("$JS.ACK.SENSORS.weir-e1.1.4711.12")).toBe(0);
    expect(streamSequence("_INBOX.abc")).toBe(0);
    expect(streamSequence(undefined)).toBe(0);
    // as nats.js holds it: the bytes of the subject
    expect(streamSequence(new TextEncoder().encode("$JS.ACK.SENSORS.weir-e1.1.4711.12.1764500000000000000.33"))).toBe(4711);
  });
});
