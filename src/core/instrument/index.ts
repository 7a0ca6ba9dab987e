export {
  type InstrumentOptions,
  type InstrumentResult,
  instrumentationOf,
  instrumentText,
  type RemoveResult,
  removeInstrumentation,
} from './instrument';
export { END_WORD, findInstrumentation, type InstrumentationSpan, START_WORD } from './markers';
export { liveScriptUrl, validateScriptUrl } from './scriptUrl';
