import { describe, expect, it } from 'vitest';
import { MiniDOMParser, parseXml } from './mini-xml.js';

describe('mini-xml', () => {
  it('parses elements, attributes, text, entities, comments and CDATA as the DOM reads them', () => {
    const doc = parseXml(`<?xml version="1.0" encoding="UTF-8"?>
      <!-- a TexturePacker atlas -->
      <TextureAtlas imagePath="ui.png">
        <SubTexture name="button &amp; icon" x="0" y="8" width="16" height='24'/>
        <SubTexture name="panel" x="16" y="0" width="32" height="32"></SubTexture>
        <note>a &lt;b&gt; &#65;&#x42;<![CDATA[ <raw> ]]></note>
      </TextureAtlas>`);
    expect(doc.documentElement!.nodeName).toBe('TextureAtlas');
    const subs = doc.getElementsByTagName('SubTexture');
    expect(subs.map((s) => s.getAttribute('name'))).toEqual(['button & icon', 'panel']);
    expect(subs[0]!.getAttribute('height')).toBe('24');
    expect(subs[0]!.getAttribute('missing')).toBeNull();
    expect([subs[1]!.attributes[0]!.name, subs[1]!.attributes['width']!.value]).toEqual(['name', '32']);
    expect(doc.getElementsByTagName('note')[0]!.textContent).toBe('a <b> AB <raw> ');
    expect(doc.documentElement!.children).toHaveLength(3);
  });

  it('refuses malformed XML with where it failed', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(/<\/a> closes <b>/);
    expect(() => parseXml('<a>')).toThrow(/<a> is never closed/);
    expect(() => parseXml('<a/><b/>')).toThrow(/second root element <b>/);
  });

  it('as DOMParser, gives a parsererror document for malformed XML (what Phaser\'s ParseXML checks)', () => {
    const parser = new MiniDOMParser();
    expect(parser.parseFromString('<font><info face="x"/></font>', 'text/xml').getElementsByTagName('parsererror')).toHaveLength(0);
    expect(parser.parseFromString('<font><info', 'text/xml').getElementsByTagName('parsererror')).toHaveLength(1);
  });
});
