// Command-line tokens as flags with values, the one way every hartvm command reads them:
// `--flag value` or `--flag=value`; a flag takes the next word only when it asks for a value.

export interface Flag {
  /** The flag as written, without any `=value`. */
  flag: string;
  /** What followed `=`, if anything (for a flag whose value is optional). */
  inline: string | undefined;
  /** Its value (inline after `=`, else the next word); throws `missing(flag)` when there is none. */
  value: () => string;
}

export function* flagsOf(argv: readonly string[], missing: (flag: string) => Error): Generator<Flag> {
  for (let i = 0; i < argv.length; i++) {
    let flag = argv[i];
    let inline: string | undefined;
    const eq = flag.indexOf("=");
    if (flag.startsWith("--") && eq > 0) { inline = flag.slice(eq + 1); flag = flag.slice(0, eq); }
    const name = flag;
    yield {
      flag,
      inline,
      value: () => {
        if (inline !== undefined) return inline;
        const v = argv[++i];
        if (v === undefined) throw missing(name);
        return v;
      },
    };
  }
}
