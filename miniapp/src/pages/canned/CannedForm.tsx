import { useState } from "react";
import { isAdminRole, useApp } from "../../app-context.js";
import { FieldError, useFormRefusal } from "../../field-errors.js";
import { localName } from "../../format.js";
import { cannedForm } from "../../forms/schemas.js";
import { t } from "../../i18n.js";
import {
  type CannedCreate,
  type CannedPatch,
  type CannedReply,
  useSaveCanned,
  useUploadCannedFiles,
} from "../../remote/canned-queries.js";
import { haptic } from "../../telegram.js";
import { TextField } from "../admin/TextField.js";

const LANGS = ["fa", "en", "ru"] as const;

/**
 * Create or edit one canned reply: title, who may use it (only the scopes the
 * role may manage), the text per language, and — once saved — its files
 * (uploaded to the reply; removing one keeps the others).
 */
export function CannedForm({
  reply,
  onDone,
}: {
  reply: CannedReply | null;
  onDone(saved: CannedReply | null): void;
}) {
  const { me, meta, lang } = useApp();
  const admin = isAdminRole(me);
  const scopes = [
    "personal",
    ...(admin || me.role === "moderator" ? ["branch"] : []),
    ...(admin ? ["global"] : []),
  ];
  const [title, setTitle] = useState(reply?.title ?? "");
  const [scope, setScope] = useState<string>(reply?.scope ?? "personal");
  const [branchId, setBranchId] = useState(reply?.branchId ?? me.branchId ?? "");
  const [bodies, setBodies] = useState<Record<string, string>>({ ...(reply?.bodies ?? {}) });
  const [files, setFiles] = useState(reply?.files ?? []);
  const { errors, error, clear, refuse, check } = useFormRefusal(lang);
  const saveReply = useSaveCanned();
  const uploadFiles = useUploadCannedFiles();
  const busy = saveReply.isPending;

  const save = async () => {
    clear();
    const text = Object.fromEntries(LANGS.filter((l) => bodies[l]?.trim()).map((l) => [l, bodies[l]]));
    const place = { scope, ...(scope === "branch" && branchId ? { branchId } : {}) };
    // An edit names the scope only when it changes: re-saving someone else's personal reply keeps its owner.
    const moved = !reply || scope !== reply.scope || (scope === "branch" && branchId !== reply.branchId);
    const body = { title, bodies: text, ...(moved ? place : {}) } as CannedCreate;
    if (!check(cannedForm, body)) return;
    try {
      const saved = await saveReply.mutateAsync(
        // Kept as the server gave them (kind is one of its own kinds, typed as text in the list).
        reply ? { id: reply.id, body: { ...body, files: files as CannedPatch["files"] } } : { body },
      );
      haptic("success");
      onDone(saved as CannedReply);
    } catch (e) {
      refuse(e);
    }
  };
  const upload = async (list: FileList | null) => {
    if (!reply || !list?.length) return;
    clear();
    try {
      const saved = await uploadFiles.mutateAsync({ id: reply.id, files: Array.from(list) });
      setFiles(saved.files);
    } catch (e) {
      refuse(e);
    }
  };

  return (
    <form
      className="canned-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <TextField
        name="title"
        label={t("canned.field_title")}
        value={title}
        onChange={setTitle}
        errors={errors}
        dir="auto"
      />
      {scopes.length > 1 && (
        <label className="field">
          <span>{t("canned.scope")}</span>
          <select aria-label={t("canned.scope")} value={scope} onChange={(e) => setScope(e.target.value)}>
            {scopes.map((s) => (
              <option key={s} value={s}>
                {t(`canned.scope_${s}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      {scope === "branch" && admin && (
        <label className="field">
          <span>{t("canned.branch")}</span>
          <select
            aria-label={t("canned.branch")}
            value={branchId}
            onChange={(e) => setBranchId(e.target.value)}
          >
            <option value="" />
            {(meta.branches ?? []).map((b) => (
              <option key={b.id} value={b.id}>
                {localName(b.name, lang)}
              </option>
            ))}
          </select>
          <FieldError errors={errors} path="branchId" />
        </label>
      )}
      {LANGS.map((l) => (
        <label key={l} className="field">
          <span>{t(`canned.body_${l}`)}</span>
          <textarea
            name={`bodies.${l}`}
            aria-label={t(`canned.body_${l}`)}
            dir={l === "fa" ? "rtl" : "ltr"}
            rows={3}
            value={bodies[l] ?? ""}
            onChange={(e) => setBodies({ ...bodies, [l]: e.target.value })}
          />
          <FieldError errors={errors} path={`bodies.${l}`} />
        </label>
      ))}
      <FieldError errors={errors} path="bodies" />
      <p className="hint" dir="ltr">
        {t("canned.placeholders")}
      </p>
      {reply ? (
        <div className="field">
          <ul className="list">
            {files.map((f, i) => (
              <li key={f.storagePath ?? f.tgFileId ?? f.fileName} className="failed-row">
                📎 {f.fileName}{" "}
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setFiles(files.filter((_, j) => j !== i))}
                >
                  {t("canned.remove_file")}
                </button>
              </li>
            ))}
          </ul>
          <input
            type="file"
            multiple
            aria-label={t("canned.add_files")}
            onChange={(e) => void upload(e.target.files)}
          />
          <FieldError errors={errors} path="files" />
        </div>
      ) : (
        <p className="hint">{t("canned.files_after_save")}</p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="composer-row">
        <button type="submit" disabled={busy}>
          {t("canned.save")}
        </button>
        <button type="button" className="secondary" onClick={() => onDone(null)}>
          {t("canned.cancel")}
        </button>
      </div>
    </form>
  );
}
