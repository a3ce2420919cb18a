import { describe, expect, it } from 'vitest';
import { CATALOG, getProduct, isSupportedPlatform, resolveModality } from './catalog';
import { SeatlockError } from './errors';

describe('catalog', () => {
  it('expands features: recognition ⊃ liveness ⊃ detection', () => {
    const detection = getProduct('face-detection').features;
    const liveness = getProduct('face-liveness').features;
    const recognition = getProduct('face-recognition').features;
    expect(liveness).toEqual(expect.arrayContaining([...detection]));
    expect(recognition).toEqual(expect.arrayContaining([...liveness]));
    expect(liveness.length).toBeGreaterThan(detection.length);
    expect(recognition.length).toBeGreaterThan(liveness.length);
    expect(detection).not.toContain('face.liveness');
    expect(liveness).not.toContain('face.search-1toN');
  });

  it('publishes the trial terms and the minimum', () => {
    expect(CATALOG.trial).toEqual({ days: 60, maxDevices: 3, perCustomerPerProduct: 1 });
    expect(CATALOG.minimumQuantity).toBe(50);
    expect(CATALOG.currency).toBe('CNY');
  });

  it('requires exactly one known modality for liveness and recognition, none for detection', () => {
    expect(resolveModality(getProduct('face-liveness'), 'ir')).toBe('ir');
    expect(resolveModality(getProduct('face-detection'), undefined)).toBeNull();
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as SeatlockError).code;
      }
    };
    expect(code(() => resolveModality(getProduct('face-recognition'), undefined))).toBe('MODALITY_REQUIRED');
    expect(code(() => resolveModality(getProduct('face-recognition'), 'thermal'))).toBe('INVALID_REQUEST');
    expect(code(() => resolveModality(getProduct('face-detection'), 'ir'))).toBe('INVALID_REQUEST');
  });

  it('knows Android and HiSilicon DV300, and nothing else', () => {
    expect(isSupportedPlatform('android')).toBe(true);
    expect(isSupportedPlatform('hisilicon-dv300')).toBe(true);
    expect(isSupportedPlatform('linux')).toBe(false);
    expect(isSupportedPlatform('__proto__')).toBe(false);
  });
});
