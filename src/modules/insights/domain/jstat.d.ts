// jstat ships no types; these are the distribution functions the statistics use.
declare module 'jstat' {
  interface ContinuousDistribution {
    cdf(x: number, ...parameters: number[]): number;
    inv(p: number, ...parameters: number[]): number;
  }
  const jStat: { normal: ContinuousDistribution; studentt: ContinuousDistribution };
  export default jStat;
}
