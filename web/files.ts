// Files in and out of the page: the pickers, drag and drop onto the page, and downloads.

export type FileUse = "restore" | "disk";

export interface PickedFile {
  name: string;
  bytes: Uint8Array;
}

/** A hidden <input type=file> behind a button; `use` gets the chosen file's bytes. */
export function filePicker(button: HTMLButtonElement, input: HTMLInputElement, use: (f: File) => void): void {
  button.addEventListener("click", () => input.click());
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    input.value = ""; // the same file may be chosen again
    if (file) use(file);
  });
}

/**
 * Dragging files over the page shows two targets, "restore" and "disk"; a drop on one of
 * them hands the file over.
 */
export function dropTargets(overlay: HTMLElement, use: (f: File, as: FileUse) => void): void {
  let depth = 0; // dragenter/dragleave fire for every child crossed
  const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes("Files") === true;
  document.addEventListener("dragenter", (e) => {
    if (!carriesFiles(e)) return;
    depth++;
    overlay.hidden = false;
  });
  document.addEventListener("dragleave", () => {
    if (depth > 0 && --depth === 0) overlay.hidden = true;
  });
  document.addEventListener("dragover", (e) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    overlay.querySelectorAll<HTMLElement>("[data-drop]").forEach((zone) => zone.classList.toggle("over", zone.contains(e.target as Node)));
  });
  document.addEventListener("drop", (e) => {
    e.preventDefault(); // never let the browser navigate to the dropped file
    depth = 0;
    overlay.hidden = true;
    const zone = (e.target as HTMLElement).closest?.<HTMLElement>("[data-drop]");
    const file = e.dataTransfer?.files[0];
    if (zone && file) use(file, zone.dataset.drop as FileUse);
  });
}

export async function readFile(file: File): Promise<PickedFile> {
  return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

export function download(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: "application/octet-stream" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
