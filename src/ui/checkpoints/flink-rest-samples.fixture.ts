// The Flink-shaped sample files in public/samples/flink-rest/ (see its README), read as a user would drop them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointFile } from './flink-rest-loader';

export const SAMPLES_DIR = join(import.meta.dirname, '..', '..', '..', 'public', 'samples', 'flink-rest');
export const SAMPLE_JOB_ID = 'a2f3c9e1b47d4d0c9f8e6b5a4c3d2e1f';
export const SOURCE_VERTEX = 'cbc357ccb763df2852fee8c4fc7d55f2';
export const WINDOW_VERTEX = '90bea66de1c231edf33913ecd54406c1';

/** Every .json file of the folder (or of `flink-1.11/`), sorted by name. */
export function sampleFiles(folder = ''): CheckpointFile[] {
  const dir = join(SAMPLES_DIR, folder);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

export function sampleFile(name: string): CheckpointFile {
  return { name, text: readFileSync(join(SAMPLES_DIR, name), 'utf8') };
}

export function sampleJson(name: string): Record<string, unknown> {
  return JSON.parse(sampleFile(name).text) as Record<string, unknown>;
}
