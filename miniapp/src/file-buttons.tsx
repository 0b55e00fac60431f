import { useEffect, useRef, useState } from "react";
import { ApiError } from "./api.js";
import { t } from "./i18n.js";
import { useApi } from "./remote/api-context.js";
import type { AttachmentData } from "./remote/client.js";
import { fileBlob, openFile } from "./remote/files.js";

type File = AttachmentData;
const PREVIEWED = /^image\/(png|jpeg|gif|webp)$/;
const PLAYABLE = /^(audio|video)\//;

/**
 * Attachments as what they are: pictures (and still stickers, GIFs) shown in
 * place, audio and video with a player that loads on the first tap, a location
 * with a map link, a contact with its phone; anything else a button that opens
 * or downloads the file.
 */
export function FileButtons({ files, onError }: { files: File[]; onError: (text: string) => void }) {
  const fail = (e: unknown) => onError(e instanceof ApiError ? e.message : t("error.generic"));
  return (
    <>
      {files.map((a) => (
        <div key={a.id} className="attachment">
          <AttachmentView file={a} onError={fail} />
        </div>
      ))}
    </>
  );
}

function AttachmentView({ file, onError }: { file: File; onError: (e: unknown) => void }) {
  const meta = (file.meta ?? {}) as Record<string, string | number>;
  if (file.kind === "location") {
    const map = `https://www.openstreetmap.org/?mlat=${meta.latitude}&mlon=${meta.longitude}#map=17/${meta.latitude}/${meta.longitude}`;
    return (
      <a className="file" href={map} target="_blank" rel="noreferrer">
        📍 {meta.title ? `${meta.title} — ${meta.address ?? ""}` : t("file.location")} · {t("file.open_map")}
      </a>
    );
  }
  if (file.kind === "contact") {
    const name = [meta.firstName, meta.lastName].filter(Boolean).join(" ");
    return (
      <a className="file" href={`tel:${meta.phone}`}>
        👤 {name} · <bdi>{String(meta.phone ?? "")}</bdi>
      </a>
    );
  }
  if (PREVIEWED.test(file.mimeType)) return <Picture file={file} onError={onError} />;
  if (PLAYABLE.test(file.mimeType)) return <Player file={file} onError={onError} />;
  return <OpenButton file={file} onError={onError} />;
}

/** A file as a chip: its name (as written, any direction) and size; a tap opens or downloads it. */
function OpenButton({ file, onError }: { file: File; onError: (e: unknown) => void }) {
  const { session } = useApi();
  return (
    <button
      type="button"
      className="file file-chip"
      onClick={() => openFile(session, file.id, file.fileName).catch(onError)}
    >
      📎 <bdi>{file.fileName}</bdi>
      {file.sizeBytes ? <span className="file-size"> · {formatSize(file.sizeBytes)}</span> : null}
    </button>
  );
}

const formatSize = (bytes: number) =>
  bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** A blob URL of the file's bytes while the view is shown (the file route needs the token, so no plain src). */
function useBlobUrl(file: File, load: boolean, onError: (e: unknown) => void): string | null {
  const { session } = useApi();
  const [url, setUrl] = useState<string | null>(null);
  // The latest handler, without making a new one each render a reason to fetch again.
  const failed = useRef(onError);
  failed.current = onError;
  useEffect(() => {
    if (!load) return;
    let made: string | null = null;
    let gone = false;
    fileBlob(session, file.id, file.mimeType).then(
      (blob) => {
        made = URL.createObjectURL(blob);
        if (gone) URL.revokeObjectURL(made);
        else setUrl(made);
      },
      (e) => !gone && failed.current(e),
    );
    return () => {
      gone = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [file.id, file.mimeType, load, session]);
  return url;
}

/** A picture in place; a tap shows it whole in a viewer over the screen (Close or a tap leaves). */
function Picture({ file, onError }: { file: File; onError: (e: unknown) => void }) {
  const { session } = useApi();
  const url = useBlobUrl(file, true, onError);
  const [viewing, setViewing] = useState(false);
  return (
    <>
      <button
        type="button"
        className="preview"
        aria-label={t("chat.view_image", { name: file.fileName })}
        onClick={() => url && setViewing(true)}
      >
        {url ? (
          <img src={url} alt={file.fileName} />
        ) : (
          <span className="file">
            🖼 <bdi>{file.fileName}</bdi>
          </span>
        )}
      </button>
      {viewing && url && (
        <div className="viewer" role="dialog" aria-modal="true" aria-label={file.fileName}>
          <button type="button" className="viewer-close" onClick={() => setViewing(false)}>
            {t("chat.close")}
          </button>
          <img src={url} alt={file.fileName} className="viewer-image" />
          <button
            type="button"
            className="secondary"
            onClick={() => openFile(session, file.id, file.fileName).catch(onError)}
          >
            {t("chat.download")}
          </button>
        </div>
      )}
    </>
  );
}

function Player({ file, onError }: { file: File; onError: (e: unknown) => void }) {
  const [wanted, setWanted] = useState(false);
  const url = useBlobUrl(file, wanted, onError);
  if (!wanted)
    return (
      <button type="button" className="file" onClick={() => setWanted(true)}>
        ▶ <bdi>{file.fileName}</bdi>
      </button>
    );
  if (!url)
    return (
      <span className="file">
        ⏳ <bdi>{file.fileName}</bdi>
      </span>
    );
  return file.mimeType.startsWith("audio/") ? (
    // biome-ignore lint/a11y/useMediaCaption: recordings people sent have no captions to offer
    <audio controls autoPlay src={url} aria-label={file.fileName} />
  ) : (
    // biome-ignore lint/a11y/useMediaCaption: recordings people sent have no captions to offer
    <video controls autoPlay playsInline src={url} aria-label={file.fileName} className="preview-video" />
  );
}
