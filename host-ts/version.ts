/** hartvm's version (package.json's; snapshots record it). */
export const VERSION = "0.2.0";
