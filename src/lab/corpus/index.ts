// Public API of the corpus generator (see README.md).
export {
  corpusForLab,
  generateCorpus,
  type CorpusAttachmentMeta,
  type CorpusFlag,
  type CorpusMessage,
  type CorpusMessageMeta,
  type CorpusOptions,
  type MessageKind,
  type SizeProfile,
} from './generate'
export { maildirFileName, writeMaildir, type MaildirWriteResult } from './maildir'
export type { Charset } from './charsets'
