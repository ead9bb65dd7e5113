/**
 * NATS subjects a message can be published to: not empty, no whitespace,
 * no empty token and no wildcard token (`*`, `>`), which only subscriptions
 * may use. Sinks and forwarding are checked against it when a spec loads.
 */
export function publishableSubject(subject: string): boolean {
  return subject.length > 0 && !/\s/.test(subject) && subject.split(".").every((t) => t.length > 0 && t !== "*" && t !== ">");
}

export const PUBLISH_SUBJECT_RULE = "must be a subject to publish to: no spaces, no empty token, no wildcard (* or >)";
