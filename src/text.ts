/**
 * Text every reader of user input shares. Editors on Windows (Notepad, PowerShell's
 * `Out-File -Encoding utf8`) start a UTF-8 file with a byte-order mark, U+FEFF, which
 * carries no content; readers drop it before looking at the first line.
 */

/** `text` without a leading byte-order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
