// The annotated screenshot of a generate: captured at Go (before an agent rewrites the element), uploaded as a
// session artifact once the bridge has the session (the generate's durable ack).
import { elementScreenshot, SCREENSHOT_NAME } from './screenshot';
import type { Annotations } from './types';

export type UploadState = 'pending' | 'uploaded' | 'failed' | null;

export type UploadFn = (sessionId: string, name: string, bytes: Blob) => Promise<void>;

export class ScreenshotUpload {
  state: UploadState = null;
  private waiting: { sessionId: string; shot: Promise<Blob> } | null = null;

  constructor(
    private readonly upload: UploadFn,
    private readonly onFailed: (message: string) => void,
  ) {}

  /** Starts the capture when the user annotated the element; nothing to upload otherwise. */
  capture(sessionId: string, target: Element, annotations: Annotations | undefined): void {
    this.waiting = annotations ? { sessionId, shot: elementScreenshot(target, annotations) } : null;
    this.state = annotations ? 'pending' : null;
  }

  /** The session is on disk: upload what was captured for it. */
  sessionDurable(sessionId: string): void {
    const w = this.waiting;
    if (!w || w.sessionId !== sessionId) return;
    this.waiting = null;
    w.shot
      .then((blob) => this.upload(sessionId, SCREENSHOT_NAME, blob))
      .then(
        () => {
          this.state = 'uploaded';
        },
        (e: unknown) => {
          this.state = 'failed';
          this.onFailed(
            `The annotated screenshot was not saved: ${e instanceof Error ? e.message : String(e)}`,
          );
        },
      );
  }
}
