/** Saves a blob as a file through the browser's download, as a link with `download` would. */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
    // Revoked after the click has been handled, not before.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
