export { type MergeInput, type MergeResult, mergeInteractions } from '../cassette/merge.js';
