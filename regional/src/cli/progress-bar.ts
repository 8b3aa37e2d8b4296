/** Where a progress bar may be drawn: a terminal, or nothing. */
export type ProgressStream = { isTTY?: boolean; write(text: string): unknown };

export type Progress = {
  update(done: number, total: number): void;
  done(): void;
};

const WIDTH = 30;
const NO_PROGRESS: Progress = { update() {}, done() {} };

/**
 * A one-line progress bar redrawn in place on `stream`, only when it is a terminal (so pipes,
 * CI logs and `--json` consumers never see it).
 */
export const progressBar = (label: string, stream: ProgressStream | undefined): Progress => {
  if (stream?.isTTY !== true) return NO_PROGRESS;
  let lastPercent = -1;
  let drawn = false;
  return {
    update(done, total) {
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      if (percent === lastPercent) return;
      lastPercent = percent;
      const filled = Math.round((percent / 100) * WIDTH);
      stream.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${percent}% (${done}/${total})`,
      );
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
};
