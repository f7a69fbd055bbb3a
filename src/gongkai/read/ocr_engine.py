"""Text-line recognition with rapidocr's default recogniser, offline, with per-character doubt.

Only rapidocr's recognition model is used (the PP-OCR small model shipped inside the wheel; a
non-default model or rapidocr's ``VisRes`` would try to download). Text is located by gongkai's own
page analysis (ocr.py: ruling lines, cells, line bands), which costs milliseconds where the detection
model costs about a second a page.

The recogniser is called on batches of line images directly, not through ``RapidOCR.__call__``:

* line images are padded only to the widest image of their batch (rapidocr pads every image to at
  least 320 columns, seven times the width of a one-digit cell), and batches are formed from images
  of similar width, so the network runs on little padding;
* the CTC output is decoded here, keeping for each character its probability and the runner-up
  classes at its time steps, and noting time steps where the blank only narrowly beat a character
  (a character that may have been dropped). That is what the ``ocr.*`` findings are made from.

onnxruntime is imported on first use only: importing gongkai does not load it.
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field

import numpy as np

HEIGHT = 48            # the recogniser's input height
MAX_COLUMNS = 12000    # columns (batch × width) per network call: bounds memory, keeps batches of like width
RUNNER_UP = 0.02       # a runner-up class this probable at a character's time steps is kept as an alternative
# Lines are given to the network at this share of their width (1.0: as printed). Fewer columns cost
# less; GONGKAI_OCR_SQUEEZE sets it for experiments (see benchmarks/scans.py).
SQUEEZE = float(os.environ.get("GONGKAI_OCR_SQUEEZE", "1.0"))
DROPPED = 0.25         # a non-blank class this probable where the blank won: a character may be missing


@dataclass
class Char:
    text: str
    conf: float                       # the character's probability (max over its time steps)
    x: float                          # centre, as a fraction of the line image's width
    alternatives: tuple[tuple[str, float], ...] = ()  # (character, probability), most probable first


@dataclass
class LineText:
    chars: list[Char]
    dropped: list[tuple[float, str, float]] = field(default_factory=list)  # (x fraction, char, probability)

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def conf(self) -> float:
        return min((c.conf for c in self.chars), default=0.0)


class Recognizer:
    """rapidocr's recognition network and its character table."""

    def __init__(self) -> None:
        t0 = time.perf_counter()
        from rapidocr import RapidOCR  # imports onnxruntime and OpenCV: here, not at gongkai import

        engine = RapidOCR(params={"Global.log_level": "error", "Global.use_det": False, "Global.use_cls": False})
        # rapidocr builds its recogniser on first use; this is the same call, made now so that the
        # network can be run on gongkai's own batches. Default model only: nothing is downloaded.
        rec = engine._load_rec_model()
        self.chars: list[str] = list(rec.postprocess_op.character)
        self._session = _session(rec.session.session)
        self._inputs = self._session.get_inputs()[0].name
        self._lock = threading.Lock()
        self.load_seconds = time.perf_counter() - t0

    def recognize(self, images: list[np.ndarray]) -> list[LineText]:
        """Read each grey line image (any size; text dark on light); results in the input order."""
        prepared = [_to_input(im) for im in images]
        order = sorted(range(len(prepared)), key=lambda i: prepared[i].shape[1])
        out: list[LineText | None] = [None] * len(prepared)
        k = 0
        while k < len(order):
            width = prepared[order[k]].shape[1]
            j = k + 1
            # Grow the batch while the padded size stays within budget and widths stay alike.
            while j < len(order):
                w = prepared[order[j]].shape[1]
                if w * (j - k + 1) > MAX_COLUMNS or w > 1.3 * width + 16:
                    break
                j += 1
            idx = order[k:j]
            w_max = max(prepared[i].shape[1] for i in idx)
            batch = np.ones((len(idx), 3, HEIGHT, w_max), dtype=np.float32)  # white padding (normalised 1.0)
            for b, i in enumerate(idx):
                im = prepared[i]
                batch[b, :, :, : im.shape[1]] = im[None, :, :]
            with self._lock:
                probs = self._session.run(None, {self._inputs: batch})[0]
            for b, i in enumerate(idx):
                out[i] = self._decode(probs[b], prepared[i].shape[1] / w_max)
            k = j
        return [o if o is not None else LineText([]) for o in out]

    def _decode(self, p: np.ndarray, used: float) -> LineText:
        """CTC decoding of one line's (time steps × classes) probabilities, with doubts kept.

        ``used`` is the share of the time steps that cover the image (the rest is batch padding)."""
        t_all = p.shape[0]
        t_used = max(1, min(t_all, int(round(t_all * used + 0.5))))
        p = p[:t_used]
        best = p.argmax(axis=1)
        chars: list[Char] = []
        dropped: list[tuple[float, str, float]] = []
        t = 0
        while t < t_used:
            c = int(best[t])
            if c == 0:
                # The blank won here; a character that nearly won may be a dropped one.
                row = p[t]
                alt = int(row[1:].argmax()) + 1
                # (the tail of the character next to it is not a dropped one)
                if row[alt] >= DROPPED and (t == 0 or int(best[t - 1]) != alt) \
                        and (t + 1 >= t_used or int(best[t + 1]) != alt):
                    dropped.append(((t + 0.5) / t_used, self.chars[alt], float(row[alt])))
                t += 1
                continue
            u = t
            while u + 1 < t_used and int(best[u + 1]) == c:
                u += 1
            span = p[t:u + 1]
            conf = float(span[:, c].max())
            alts: tuple[tuple[str, float], ...] = ()
            if float(span[:, c].min()) < 1.0 - RUNNER_UP:
                # Some time step leaves room for a runner-up (otherwise none can reach RUNNER_UP).
                peak = span.max(axis=0)
                peak[c] = 0.0
                peak[0] = 0.0
                cand = np.argpartition(peak, -3)[-3:]
                alts = tuple(sorted(((self.chars[int(a)], float(peak[a])) for a in cand if peak[a] >= RUNNER_UP),
                                    key=lambda x: -x[1]))
            chars.append(Char(self.chars[c], conf, (t + u + 1) / 2 / t_used, alts))
            t = u + 1
        return LineText(chars, dropped)


def _session(default):
    """The recogniser's network in a session of our own: two threads at most, and no spinning.

    rapidocr's session lets idle threads spin; on a machine shared with other work that costs
    about 1.5× the time (measured: 344 vs 209 µs per input column under load 7 on 2 cores).
    ``GONGKAI_OCR_THREADS`` overrides the thread count. The model is the one rapidocr resolved
    (its default, shipped in the wheel)."""
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.log_severity_level = 4
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.intra_op_num_threads = int(os.environ.get("GONGKAI_OCR_THREADS", "0")) or min(2, os.cpu_count() or 1)
    so.inter_op_num_threads = 1
    so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(default._model_path, so, providers=["CPUExecutionProvider"])


def _to_input(gray: np.ndarray) -> np.ndarray:
    """A grey line image as the network's (48 × W) input, normalised to [-1, 1]."""
    import cv2

    h, w = gray.shape[:2]
    width = max(8, int(round(w * HEIGHT / max(h, 1) * SQUEEZE)))
    interp = cv2.INTER_AREA if h > HEIGHT else cv2.INTER_CUBIC
    im = cv2.resize(gray, (width, HEIGHT), interpolation=interp).astype(np.float32)
    return im / 127.5 - 1.0


_ENGINE: Recognizer | None = None
_ENGINE_LOCK = threading.Lock()


def engine() -> Recognizer:
    """The process's recogniser, loaded on first use (≈ 1–3 s; ``load_seconds`` says how long)."""
    global _ENGINE
    if _ENGINE is None:
        with _ENGINE_LOCK:
            if _ENGINE is None:
                _ENGINE = Recognizer()
    return _ENGINE


def loaded() -> bool:
    return _ENGINE is not None
