/**
 * Telegram takes at most 4,096 characters in one message. Kept below that: the
 * header around the words is counted with its HTML tags, and escaping does not
 * count (Telegram measures the text after parsing).
 */
export const MESSAGE_LIMIT = 4000;
/**
 * Room kept for the header of a message's first part (ticket number, title, names,
 * status): far more than one needs, and fixed, so the cut never moves when the
 * header changes.
 */
export const HEAD_ROOM = 800;

/**
 * Words cut into messages: the first part fits beside a header (HEAD_ROOM), each
 * later one is a message of its own. Cuts fall on a line break
 * or a space where there is one in the last fifth of a part, never inside a
 * surrogate pair. Nothing is dropped: the parts joined are the words.
 */
export function splitText(words: string): string[] {
  const parts: string[] = [];
  let rest = words;
  let room = MESSAGE_LIMIT - HEAD_ROOM;
  while (rest.length > room) {
    let cut = Math.max(rest.lastIndexOf("\n", room), rest.lastIndexOf(" ", room));
    if (cut < room * 0.8) cut = room;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
    room = MESSAGE_LIMIT;
  }
  parts.push(rest);
  return parts;
}
