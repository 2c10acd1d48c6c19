// Name resolution shared by every registry: Keras snake_case, camelCase and PascalCase all resolve.

/** 'binary_crossentropy', 'binaryCrossentropy' and 'BinaryCrossentropy' all normalise to 'binarycrossentropy'. */
export function normalizeName(name: string): string {
  return name.replace(/[_\-\s]/g, '').toLowerCase();
}

export class Registry<T> {
  private readonly entries = new Map<string, { name: string; value: T }>();

  constructor(readonly kind: string) {}

  register(names: string | readonly string[], value: T): void {
    const list = typeof names === 'string' ? [names] : names;
    for (const name of list) this.entries.set(normalizeName(name), { name: list[0], value });
  }

  has(name: string): boolean {
    return this.entries.has(normalizeName(name));
  }

  get(name: string): T {
    const entry = this.entries.get(normalizeName(name));
    if (!entry) throw new Error(`Unknown ${this.kind} '${name}'. Valid names: ${this.names().join(', ')}.`);
    return entry.value;
  }

  /** Canonical name of an entry (the first name it was registered under). */
  canonical(name: string): string {
    this.get(name);
    return this.entries.get(normalizeName(name))!.name;
  }

  names(): string[] {
    return [...new Set([...this.entries.values()].map((e) => e.name))].sort();
  }
}
