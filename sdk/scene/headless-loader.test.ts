/**
 * A headless copy loads the real files its scene's preload queues (./headless-loader.ts), here on
 * test-fixtures/foreign-game: a page game whose create() builds everything from a Tiled map, a
 * tile sheet, an atlas, a level JSON and a sound. Each file type reaches Phaser's caches as in the
 * page; images as textures of their real size; refusals and missing files name key and URL.
 */
import './phaser-shim.js';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import Phaser from 'phaser';
import type { Agent } from '../adapter/agent.js';
import { Curriculum } from '../runtime/curriculum.js';
import type { CopyContext } from '../runtime/game.js';
import { solidPng } from '../../test-fixtures/foreign-game/png.js';
import { type Walker, WalkerScene } from '../../test-fixtures/foreign-game/src/walker-scene.js';
import { GAME_MODULE } from './asset-source.js';
import { sceneGame } from './scene-game.js';

const FIXTURE = resolve('test-fixtures/foreign-game');

function recorder(): { ctx: CopyContext; agents: Agent[] } {
  const agents: Agent[] = [];
  return { agents, ctx: { params: new Curriculum({}, ['walker'], 0), addAgent: (_b, a) => { agents.push(a); }, removeAgent: () => false } };
}

/** Boots one copy of the walker scene (optionally queueing `extra` files) and returns its scene. */
function boot(options: { root?: string; extra?: (s: Phaser.Scene) => void } = {}): WalkerScene {
  const { ctx, agents } = recorder();
  const game = sceneGame({ scene: WalkerScene, copies: 1, width: 128, height: 64, data: () => ({ extra: options.extra }), ...(options.root ? { assets: { root: options.root } } : {}) });
  game.createCopy(0, 1, ctx).step();
  const walker = agents[0] as Walker;
  return (walker as unknown as { floor: Phaser.Tilemaps.TilemapLayer }).floor.scene as WalkerScene;
}

/** A folder with the fixture's files plus `files` (path → contents). */
function rootWith(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), 'headless-loader-'));
  for (const [name, contents] of Object.entries({ ...fixtureFiles(), ...files })) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), contents);
  }
  return root;
}

function fixtureFiles(): Record<string, Uint8Array> {

  const dir = join(FIXTURE, 'public', 'assets');
  return Object.fromEntries(readdirSync(dir).map((f) => [`assets/${f}`, readFileSync(join(dir, f))]));
}

afterEach(() => {
  GAME_MODULE.dir = undefined;
});

describe('headless copies load the files preload queues', () => {
  it("a foreign game boots from its package's public/: tilemap, sprite sheet, atlas and level JSON are the real files", () => {
    GAME_MODULE.dir = join(FIXTURE, 'src');
    const scene = boot();
    expect(scene.sys.settings.status).toBe(Phaser.Scenes.RUNNING);
    // The level JSON, as written.
    expect(scene.cache.json.get('level')).toEqual({ name: 'first steps', start: 2, goal: 5 });
    // The Tiled map: 8×4 tiles of 16 px, the floor row of tile index 3, walls at both ends.
    const map = scene.map!;
    expect([map.width, map.height, map.tileWidth]).toEqual([8, 4, 16]);
    expect(map.getTileAt(4, 3, false, 'ground')?.index).toBe(3);
    expect(map.getTileAt(0, 2, false, 'ground')?.index).toBe(5);
    expect(map.getTileAt(3, 2, false, 'ground')).toBeNull();
    // The tile sheet has its real size, so it is cut into its 8 tiles (64×32 of 16×16).
    const sheet = scene.textures.get('tiles');
    expect([sheet.source[0]!.width, sheet.source[0]!.height]).toEqual([64, 32]);
    expect(sheet.frameTotal - 1).toBe(8);
    // The atlas has the frames its JSON names, at their sizes.
    const ui = scene.textures.get('ui');
    expect(ui.getFrameNames().sort()).toEqual(['button', 'icon']);
    expect([ui.get('icon').cutX, ui.get('icon').width, ui.get('icon').height]).toEqual([32, 16, 16]);
  });

  it('the scene plays on what it loaded: the walker, acting by its heuristic, reaches the goal tile the level names', () => {
    const scene = boot({ root: join(FIXTURE, 'public') });
    const walker = scene.walker!;
    walker.onEpisodeBegin();
    const out = { discrete: new Int32Array(1), continuous: new Float32Array(0) };
    for (let i = 0; i < 3; i++) {
      walker.heuristic(out as never);
      walker.onActionReceived(out as never);
    }
    expect(walker.tile).toBe(5);
  });

  it('text, XML, CSV tilemaps, XML atlases, bitmap fonts, SVG, binary, data: and file: URLs reach their caches', () => {
    const xmlAtlas = '<TextureAtlas imagePath="ui.png"><SubTexture name="a" x="0" y="0" width="8" height="8"/><SubTexture name="b" x="8" y="0" width="24" height="16"/></TextureAtlas>';
    const font = '<font><info face="mini" size="8"/><common lineHeight="10" base="8" scaleW="48" scaleH="24"/><chars count="1"><char id="65" x="0" y="0" width="6" height="8" xoffset="0" yoffset="0" xadvance="7"/></chars></font>';
    const png = join(mkdtempSync(join(tmpdir(), 'file-url-')), 'logo.png');
    writeFileSync(png, solidPng(20, 10));
    const root = rootWith({
      'assets/notes.txt': 'héllo',
      'assets/config.xml': '<config><speed value="3"/></config>',
      'assets/level.csv': '1,2,3\n4,-1,6\n',
      'assets/atlas.xml': xmlAtlas,
      'assets/font.xml': font,
      'assets/star.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"></svg>',
      'assets/blob.bin': new Uint8Array([1, 2, 250]),
    });
    const scene = boot({
      root,
      extra: (s) => {
        s.load.text('notes', 'assets/notes.txt');
        s.load.xml('config', 'assets/config.xml');
        s.load.tilemapCSV('csv', 'assets/level.csv');
        s.load.atlasXML('xmlui', 'assets/ui.png', 'assets/atlas.xml');
        s.load.bitmapFont('mini', 'assets/ui.png', 'assets/font.xml');
        s.load.svg('star', 'assets/star.svg');
        s.load.svg('big-star', 'assets/star.svg', { scale: 2 });
        s.load.binary('blob', 'assets/blob.bin', Uint8Array);
        s.load.json('inline', `data:application/json;base64,${btoa('{"a":1}')}`);
        s.load.image('logo', pathToFileURL(png).href);
      },
    });
    expect(scene.cache.text.get('notes')).toBe('héllo');
    expect((scene.cache.xml.get('config') as Document).getElementsByTagName('speed')[0]!.getAttribute('value')).toBe('3');
    expect(scene.make.tilemap({ key: 'csv', tileWidth: 8, tileHeight: 8 }).layers[0]!.data[1]![2]!.index).toBe(6);
    expect(scene.textures.get('xmlui').get('b').width).toBe(24);
    expect((scene.cache.bitmapFont.get('mini') as { data: { chars: Record<number, { xAdvance: number }> } }).data.chars[65]!.xAdvance).toBe(7);
    expect([scene.textures.get('star').source[0]!.width, scene.textures.get('big-star').source[0]!.height]).toEqual([40, 60]);
    expect([...new Uint8Array(scene.cache.binary.get('blob') as Uint8Array)]).toEqual([1, 2, 250]);
    expect(scene.cache.json.get('inline')).toEqual({ a: 1 });
    expect(scene.textures.get('logo').source[0]!.width).toBe(20);
  });

  it('files queued while others load (a pack file, a multi-atlas\'s pages) load in the same call', () => {
    const multi = { textures: [{ image: 'page-0.png', format: 'RGBA8888', size: { w: 48, h: 24 }, scale: 1, frames: [{ filename: 'gem', frame: { x: 0, y: 0, w: 10, h: 12 }, rotated: false, trimmed: false, spriteSourceSize: { x: 0, y: 0, w: 10, h: 12 }, sourceSize: { w: 10, h: 12 } }] }] };
    const pack = { level2: { files: [{ type: 'json', key: 'level-2', url: 'assets/level-2.json' }, { type: 'multiatlas', key: 'gems', atlasURL: 'assets/gems.json', path: 'assets/' }] } };
    const root = rootWith({
      'assets/pack.json': JSON.stringify(pack),
      'assets/level-2.json': '{"goal":6}',
      'assets/gems.json': JSON.stringify(multi),
      'assets/page-0.png': solidPng(48, 24),
    });
    const scene = boot({ root, extra: (s) => s.load.pack('pack', 'assets/pack.json', 'level2') });
    expect(scene.cache.json.get('level-2')).toEqual({ goal: 6 });
    expect([scene.textures.get('gems').get('gem').width, scene.textures.get('gems').source[0]!.width]).toEqual([10, 48]);
  });

  it('refuses a file type a copy cannot stand in for, naming the key and type', () => {
    expect(() => boot({ root: join(FIXTURE, 'public'), extra: (s) => s.load.script('vendor', 'assets/vendor.js') })).toThrow(/preload queued the script file "vendor" \(a script file\); a headless copy loads images/);
    expect(() => boot({ root: join(FIXTURE, 'public'), extra: (s) => s.load.css('style', 'assets/style.css') })).toThrow(/the script file "style"/);
  });

  it('a missing file names its key, URL and the paths tried', () => {
    const root = join(FIXTURE, 'public');
    expect(() => boot({ root, extra: (s) => s.load.json('level-9', 'assets/level-9.json') }))
      .toThrow(`preload queued the json file "level-9" (URL assets/level-9.json): not found; tried ${join(root, 'assets/level-9.json')}`);
  });

  it('a file that does not parse names its key and URL', () => {
    const root = rootWith({ 'assets/broken.json': '{"a": ', 'assets/broken.xml': '<a><b></a>', 'assets/fake.png': 'not a png' });
    expect(() => boot({ root, extra: (s) => s.load.json('broken', 'assets/broken.json') })).toThrow(/the json file "broken" at assets\/broken.json is not a valid json file/);
    expect(() => boot({ root, extra: (s) => s.load.xml('bad', 'assets/broken.xml') })).toThrow(/the xml file "bad" at assets\/broken.xml is not a valid xml file/);
    expect(() => boot({ root, extra: (s) => s.load.image('fake', 'assets/fake.png') })).toThrow(/the image file "fake": assets\/fake.png: not a PNG, JPEG/);
  });
});
