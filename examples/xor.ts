// XOR, the classic problem a single layer cannot solve: a 2-8-1 network learns it with backpropagation.
// Run: npm run build && node dist/examples/xor.js

import { Sequential, Dense, Adam, setSeed } from 'descent-ml';

setSeed(1);
const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [[0], [1], [1], [0]];

const model = new Sequential();
model.add(new Dense(8, { inputDim: 2, activation: 'tanh' }));
model.add(new Dense(1, { activation: 'sigmoid' }));
model.compile({ loss: 'binary_crossentropy', optimizer: new Adam({ learningRate: 0.05 }), metrics: ['accuracy'] });

// Batch gradient descent: the whole data set (4 samples) in every step.
const history = await model.fit(x, y, { epochs: 300, batchSize: 4, verbose: 0 });
const loss = history.history.loss;
console.log(`loss: ${loss[0].toFixed(4)} (epoch 1) -> ${loss[loss.length - 1].toFixed(4)} (epoch ${loss.length})`);

const p = model.predict(x).data;
x.forEach((row, i) => console.log(`${row.join(' xor ')} = ${y[i][0]}   predicted ${p[i].toFixed(3)}`));
const correct = x.filter((_, i) => (p[i] >= 0.5 ? 1 : 0) === y[i][0]).length;
console.log(`${correct}/4 correct`);
if (correct !== 4) process.exitCode = 1;
