// Identifiers the page mints: session ids (8 lowercase hex, as the protocol requires of browser sessions),
// event ids (unique, so a resend after a reconnect is recognised as the same event), and tab owner ids.

export type RandomBytes = (n: number) => Uint8Array;

export const cryptoRandom: RandomBytes = (n) => crypto.getRandomValues(new Uint8Array(n));

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function newSessionId(random: RandomBytes = cryptoRandom): string {
  return hex(random(4));
}

/** `<kind>.<sessionId>.<random>`: readable in the journal, and within the protocol's event id alphabet. */
export function newEventId(kind: string, sessionId: string, random: RandomBytes = cryptoRandom): string {
  return `${kind}.${sessionId}.${hex(random(6))}`;
}

/** One owner per page load: revisions restart with it, so a duplicated or reloaded tab never collides. */
export function newOwnerId(random: RandomBytes = cryptoRandom): string {
  return `tab-${hex(random(5))}`;
}
