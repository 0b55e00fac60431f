import type { Attachment } from "../../drizzle/schema/index.js";
import { ApiError, openFile, type Wire } from "./api.js";
import { t } from "./i18n.js";

/** Attachments as buttons that open the file (a download where it cannot be shown). */
export function FileButtons({
  files,
  onError,
}: {
  files: Wire<Attachment>[];
  onError: (text: string) => void;
}) {
  return (
    <>
      {files.map((a) => (
        <button
          key={a.id}
          type="button"
          className="file"
          onClick={() =>
            openFile(a.id, a.fileName).catch((e) =>
              onError(e instanceof ApiError ? e.message : t("error.generic")),
            )
          }
        >
          📎 {a.fileName}
        </button>
      ))}
    </>
  );
}
