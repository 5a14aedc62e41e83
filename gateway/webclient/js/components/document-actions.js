// What a document's buttons in the documents panel (documents-panel.js `panel`) do: download
// or view its latest version or an earlier one (document-reading.js), named as the list of
// versions names it; and release the latest to a wider audience, once the person confirms who
// will see it.

import { api } from "../core/api.js";
import { describe } from "../core/errors.js";
import { t } from "../core/i18n.js";
import { fileLabel, releaseBodyKey, releaseNumbers, versionFileName } from "../documents/versions.js";
import { confirmDialog } from "./dialog.js";
import { downloadDocument, viewDocument } from "./document-reading.js";
import { jointAudience, releaseWords } from "./release-audience.js";
import { fileTag, versionLabel } from "./version-list.js";

// The latest version's bytes, or those of `version` (an entry of the list of versions), with
// the label of its file name: a file the browser saves itself (too large for the page) is
// named by the server, which then names it as `fileName` does.
function contentUrl(panel, d, version = null) {
  const label = version && fileLabel(version.number, version.latest, fileTag(version));
  const query = version ? `?version=${encodeURIComponent(version.version)}` : "";
  return `${panel.documentUrl(d)}/content${query}${label ? `&label=${encodeURIComponent(label)}` : ""}`;
}

// What the latest version (`version` null) or one version is saved as.
function fileName(d, version) {
  return version ? versionFileName(d.filename, version.number, version.latest, fileTag(version)) : d.filename;
}

export function downloadVersion(panel, d, version = null) {
  panel.say(null);
  return downloadDocument({ url: contentUrl(panel, d, version), name: fileName(d, version),
    size: (version || d).size, track: (row) => panel.track(row) });
}

// `focusKey`: the button that asked, which gets focus back when the viewer closes.
export async function viewVersion(panel, d, version, focusKey) {
  const name = fileName(d, version);
  panel.say(null);
  try {
    const shown = await viewDocument({ url: contentUrl(panel, d, version),
      contentType: (version || d).content_type, filename: name, returnFocus: () => panel.focusable(focusKey),
      title: version && !version.latest
        ? versionLabel("viewer_title_version", version, panel.me.role, { name: d.filename }) : d.filename });
    panel.say(shown ? null : () => t("participant.docs.view_refused", { name }));
  } catch (error) {
    panel.say(() => describe(error, "participant.docs_download"));
  }
}

// Shares the latest version only (the one the person sees; earlier versions stay where they
// are), and names it to the server, which shares nothing if a newer one has arrived since.
export async function releaseLatest(panel, d, to) {
  panel.say(null);
  const who = to === "joint" ? "joint" : "confidential";
  // The latest's number now, and the one its new audience will give it.
  let numbers = { number: 1, shared: 1 };
  if ((d.versions || 1) > 1) {
    try {
      numbers = releaseNumbers(await panel.versions.reply(d), to) || numbers;
    } catch (error) {
      panel.say(() => describe(error, "participant.docs_versions"));
      return;
    }
  }
  const { confirmed } = await confirmDialog({
    title: t(`participant.docs.release_${who}_title`, { name: d.filename }),
    ...releaseWords(t(releaseBodyKey(d.compartment, to, d.versions), { name: d.filename, ...numbers,
      audience: jointAudience(panel.people, panel.me, panel.sideCount || 0) }), to),
  });
  if (!confirmed) return;
  try {
    await api("POST", `${panel.documentUrl(d)}/release`, { to, version: d.version });
    // It leaves this tab for the one it was released to: say where it went (it stays said
    // through the refreshes that follow, this one and the server's `documents` hint).
    panel.say(() => t(`participant.docs.released_${who}`, { name: d.filename }), "news");
    await panel.refreshFor(d.document);
  } catch (error) {
    if (error.reason === "newer_version") {
      panel.say(() => t("participant.docs.release_newer", { name: d.filename }));
      await panel.refresh();
    } else {
      panel.say(() => describe(error, "participant.docs_release"));
    }
  }
}
