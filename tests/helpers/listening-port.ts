/**
 * The port the product reports listening on. Tests start it with PORT=0 so the
 * system picks a free one: a port chosen by the test first can be taken by another
 * process before the product binds it (EADDRINUSE on a busy CI run).
 */
export function listeningPort(output: string): number | undefined {
  // Whole lines only: the output arrives in chunks, and a line may be half here yet.
  const line = output
    .split("\n")
    .slice(0, -1)
    .find((l) => l.includes('"http server listening"'));
  const port = line ? JSON.parse(line).port : undefined;
  return typeof port === "number" && port > 0 ? port : undefined;
}
