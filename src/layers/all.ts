// Every built-in layer module, imported for its registration (layerFromConfig resolves class names through it).
import './core.js';
import './dense.js';
import './conv.js';
import './pooling.js';
import './normalization.js';
import './noise.js';
import './reshaping.js';
