// A statement's positional parameters by name. Each name's $n follows from its place in the list
// (a name can take several places: the timeline's nine), so no statement counts parameters by hand,
// and the values are given as an object and put in order here.

export interface Parameters<Name extends string> {
  /** `$n` of a name */
  readonly at: Readonly<Record<Name, string>>;
  /** the number of a name's first place */
  readonly first: Readonly<Record<Name, number>>;
  /** the number after the last: where a statement joined after this one starts */
  readonly next: number;
  /** the values in order; a name that takes several places gives an array of that many */
  values(given: Readonly<Record<Name, unknown>>): unknown[];
}

export function parameters<const Names extends readonly string[]>(
  start: number,
  names: Names,
  widths: Partial<Record<Names[number], number>> = {},
): Parameters<Names[number]> {
  type Name = Names[number];
  const first = {} as Record<Name, number>;
  const at = {} as Record<Name, string>;
  let next = start;
  for (const name of names as readonly Name[]) {
    first[name] = next;
    at[name] = `$${next}`;
    next += widths[name] ?? 1;
  }
  return {
    at,
    first,
    next,
    values(given) {
      return (names as readonly Name[]).flatMap((name) => {
        const width = widths[name];
        if (width === undefined) return [given[name]];
        const many = given[name] as unknown[];
        if (!Array.isArray(many) || many.length !== width) throw new Error(`parameter ${name} takes ${width} values`);
        return many;
      });
    },
  };
}
