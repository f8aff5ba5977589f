/**
 * JAX's error classes, with JAX's names so users can search for them. Messages
 * keep JAX's key phrases and add Kiln's context (function, argument, fix).
 */

export class ConcretizationTypeError extends Error {
  override name = "ConcretizationTypeError";
}
export class TracerBoolConversionError extends ConcretizationTypeError {
  override name = "TracerBoolConversionError";
}
export class TracerIntegerConversionError extends ConcretizationTypeError {
  override name = "TracerIntegerConversionError";
}
export class UnexpectedTracerError extends Error {
  override name = "UnexpectedTracerError";
}
export class TypePromotionError extends TypeError {
  override name = "TypePromotionError";
}
/** numpy/JAX's ValueError (a plain Error with Python's name, so messages read as in JAX). */
export class ValueError extends Error {
  override name = "ValueError";
}
