// Every code block in README.md and docs/*.md that imports 'descent-ml' runs as written (as an ES module, through
// the package's self-reference) and exits cleanly. Blocks marked `// not runnable` are skipped; a block whose first
// line is `// continued` runs together with the blocks before it (one story told in several blocks); a block whose
// first line is `// name.mjs: ...` is a module the examples import, written beside them rather than run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, writeFileSync, readdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import ts from 'typescript';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const docs = ['README.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
/** Join a story's blocks into one module: single-line named imports are merged per module, other code kept in order. */
function joinBlocks(blocks: string[]): string {
  if (blocks.length === 1) return blocks[0];
  const named = new Map<string, Set<string>>();
  const otherImports = new Set<string>();
  const body: string[] = [];
  for (const block of blocks) {
    for (const line of block.split('\n')) {
      const m = line.match(/^import \{([^}]*)\} from '([^']+)';\s*$/);
      if (m) {
        const set = named.get(m[2]) ?? new Set<string>();
        m[1].split(',').map((n) => n.trim()).filter(Boolean).forEach((n) => set.add(n));
        named.set(m[2], set);
      } else if (/^import\s/.test(line)) otherImports.add(line);
      else body.push(line);
    }
  }
  const imports = [...named].map(([mod, names]) => `import { ${[...names].join(', ')} } from '${mod}';`);
  return [...imports, ...otherImports, ...body].join('\n');
}

const exampleDir = path.join(root, 'dist', 'doc-examples');

function runnable(text: string): string[] {
  const all = [...text.matchAll(/```(?:ts|js)\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => !code.includes('// not runnable'));
  const blocks: string[] = [];
  for (const code of all) {
    const helper = code.match(/^\/\/ ([\w-]+\.mjs):/);
    if (helper) {
      mkdirSync(exampleDir, { recursive: true });
      writeFileSync(path.join(exampleDir, helper[1]), code);
    } else blocks.push(code);
  }
  const stories: string[][] = [];
  for (const code of blocks) {
    if (code.startsWith('// continued') && stories.length) stories[stories.length - 1].push(code);
    else stories.push([code]);
  }
  return stories.filter((st) => st.some((c) => c.includes("from 'descent-ml'"))).map(joinBlocks);
}

test("no example imports the old name 'descent' (the package is 'descent-ml'; such a block would not run)", () => {
  for (const doc of docs) {
    const stale = readFileSync(path.join(root, doc), 'utf8').split('\n').filter((l) => /from 'descent'|import\('descent'\)/.test(l));
    assert.deepEqual(stale, [], `${doc} imports 'descent'; write 'descent-ml'`);
  }
});

test('README has runnable examples', () => {
  assert.ok(runnable(readFileSync(path.join(root, 'README.md'), 'utf8')).length >= 2);
});

for (const doc of docs) {
  runnable(readFileSync(path.join(root, doc), 'utf8')).forEach((code, i) => {
    test(`${doc} example ${i + 1} runs`, () => {
      // The module sits inside the package (so 'descent-ml' resolves to it); it runs in a scratch directory.
      const dir = exampleDir;
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${doc.replace(/[/.]/g, '_')}-${i + 1}.mjs`);
      // TypeScript as written: types are stripped by the compiler, nothing else changes.
      writeFileSync(file, ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText);
      const cwd = mkdtempSync(path.join(tmpdir(), 'descent-doc-'));
      const r = spawnSync(process.execPath, [file], { cwd, encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 0, `${doc} example ${i + 1} failed:\n${code}\n--- stderr ---\n${r.stderr}\n--- stdout ---\n${r.stdout.slice(-2000)}`);
    });
  });
}
