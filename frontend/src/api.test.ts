import { describe, expect, it } from 'vitest';
import { PICTURE_EXPORTS, pictureExportUrl } from './api';

describe('pictureExportUrl', () => {
  it('asks for this seat\'s picture of a move as a file', () => {
    expect(pictureExportUrl('csv', 3)).toBe('/api/picture?move=3&format=csv');
  });

  it('names the nation whose picture control exports', () => {
    expect(pictureExportUrl('omm-xml', 0, 'GBR')).toBe('/api/picture?move=0&format=omm-xml&nation=GBR');
  });

  it('escapes what it puts in the query and leaves out a missing nation', () => {
    expect(pictureExportUrl('omm-json', 2, 'A&B')).toBe('/api/picture?move=2&format=omm-json&nation=A%26B');
    expect(pictureExportUrl('omm-kvn', 1, null)).toBe('/api/picture?move=1&format=omm-kvn');
  });

  it('offers the four formats the server exports', () => {
    expect(PICTURE_EXPORTS.map((e) => e.format)).toEqual(['csv', 'omm-json', 'omm-kvn', 'omm-xml']);
  });
});
