// Every built-in layer module, imported for its registry rows: whatever deserializes layers by class name (loadModel,
// model configs) imports this so that 'Dense', 'Conv2D', ... resolve however the program was entered.
import './core.js';
import './dense.js';
import './merge.js';
import './conv.js';
import './pooling.js';
import './normalization.js';
import './reshaping.js';
import './noise.js';
import './embedding.js';
import './simple-rnn.js';
import './lstm.js';
import './gru.js';
import './wrappers.js';
import './text-vectorization.js';
