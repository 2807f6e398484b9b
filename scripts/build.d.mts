export const ROOT: string;
export const DIST: string;
export const STAMP: string;
export const INPUTS: string[];
export function newestInput(): number;
export function isStale(): boolean;
export function build(opts?: { quiet?: boolean }): void;
