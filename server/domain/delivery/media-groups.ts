/**
 * How Telegram takes several files: photos and videos share one media group,
 * documents and audio each have their own, up to ten files a group; every
 * other kind (voice, sticker, location…) goes alone. The bot sends files by
 * these runs (bot/delivery/send-files.ts) and the outbox counts a post's calls
 * by them before it reserves its place in the budget (server/jobs/outbox/batch.ts).
 */
const GROUP_OF: Record<string, "visual" | "document" | "audio" | undefined> = {
  photo: "visual",
  video: "visual",
  document: "document",
  audio: "audio",
};

/** Telegram's largest media group. */
export const MEDIA_GROUP_MAX = 10;

/** The files in the order given, cut into the sends they take: shared-group runs of up to 10, every other file alone. */
export function groupForTelegram<F extends { kind: string }>(files: F[]): F[][] {
  const sends: F[][] = [];
  let run: F[] = [];
  let runGroup: string | undefined;
  for (const file of files) {
    const group = GROUP_OF[file.kind];
    if (run.length > 0 && (group === undefined || group !== runGroup || run.length === MEDIA_GROUP_MAX)) {
      sends.push(run);
      run = [];
    }
    if (group === undefined) sends.push([file]);
    else {
      run.push(file);
      runGroup = group;
    }
  }
  if (run.length > 0) sends.push(run);
  return sends;
}
