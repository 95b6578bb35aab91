/**
 * A small on-screen panel for one behavior: backend, policy version, steps/s, the mean return of
 * the scene's last 20 episodes (in every mode), and a curve of recent episode returns. Drawn with Phaser objects fixed to the camera.
 */
import type Phaser from 'phaser';
import type { Behavior } from './behavior.js';

const WIDTH = 220;
const HEIGHT = 150;

/** Where the overlay goes: its panel's top-left corner on the screen (camera-fixed), in pixels. */
export interface OverlayOptions {
  /** Default 4: the top-left corner. `scale.width - 224` puts it top-right. */
  x?: number;
  /** Default 4. */
  y?: number;
  /**
   * Default 1: a 220 × 150 panel. A small game (320 × 240 pixel art) would be mostly hidden by
   * it: 0.5 draws it 110 × 75, text included.
   */
  scale?: number;
}

/** The panel's corner and scale, checked: a field that is not a finite number (a scale not above 0) is named. */
function overlayPlacement(options: OverlayOptions): { x: number; y: number; scale: number } {
  const at = (field: 'x' | 'y') => {
    const v: unknown = options[field] ?? 4;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`showOverlay: options.${field} must be a finite number of pixels, got ${String(v)}`);
    return v;
  };
  const scale: unknown = options.scale ?? 1;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) throw new Error(`showOverlay: options.scale must be a finite number above 0 (1: 220 × 150 pixels), got ${String(scale)}`);
  return { x: at('x'), y: at('y'), scale };
}

export class Overlay {
  private readonly text: Phaser.GameObjects.Text;
  private readonly graphics: Phaser.GameObjects.Graphics;
  private drawnReturns = -1;

  constructor(scene: Phaser.Scene, private readonly behavior: Behavior, options: OverlayOptions = {}) {
    const { x, y, scale } = overlayPlacement(options);
    // The panel is drawn at (4, 4) in the graphics' own space: moving (scaling) the object moves (scales) all of it.
    this.graphics = scene.add.graphics().setScrollFactor(0).setDepth(1000).setPosition(x - 4 * scale, y - 4 * scale).setScale(scale);
    this.text = scene.add.text(x + 6 * scale, y + 4 * scale, '', { fontFamily: 'monospace', fontSize: '12px', color: '#e6edf3' }).setScrollFactor(0).setDepth(1001).setScale(scale);
  }

  update(): void {
    const b = this.behavior;
    const m = b.latest;
    const lines = [
      `${b.name} · ${b.runner.type}`,
      `backend   ${b.backend?.backend ?? (b.runner.type === 'train' ? 'starting…' : '–')}`,
      `policy    v${b.runner.policyVersion}`,
      `steps/s   ${m ? m.sps.toFixed(0) : '–'}`,
      // This scene's own episodes, so inference and fast mode (whose metrics come from elsewhere) show it too.
      `return    ${Number.isFinite(b.recentReturnMean) ? b.recentReturnMean.toFixed(1) : '–'} (last ${Math.min(20, b.episodeCount)})`,
      // Self-play: the learning policy's ELO and the team learning now (live training; fast mode's come with its metrics).
      ...(m?.elo !== undefined ? [`elo       ${m.elo.toFixed(0)}${m.learningTeam !== undefined ? ` (team ${m.learningTeam} learns)` : ''}`] : []),
      ...(b.failure ? ['STOPPED (see console)'] : []),
    ];
    this.text.setText(lines.join('\n'));
    if (b.returns.length === this.drawnReturns) return;
    this.drawnReturns = b.returns.length;
    const g = this.graphics;
    g.clear();
    g.fillStyle(0x0d1117, 0.75).fillRect(4, 4, WIDTH, HEIGHT);
    const r = b.returns;
    if (r.length < 2) return;
    const lo = Math.min(...r);
    const hi = Math.max(...r);
    const x0 = 10;
    const y0 = 4 + HEIGHT - 8;
    const w = WIDTH - 12;
    const h = 40;
    g.lineStyle(1.5, 0x58a6ff, 1).beginPath();
    r.forEach((v, i) => {
      const x = x0 + (i / (r.length - 1)) * w;
      const y = y0 - (hi > lo ? (v - lo) / (hi - lo) : 0.5) * h;
      if (i === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    });
    g.strokePath();
  }

  destroy(): void {
    this.text.destroy();
    this.graphics.destroy();
  }
}
