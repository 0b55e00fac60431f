export { type BucketSpec, bucketKey, sweepRateBuckets, type TakeResult, takeToken } from "./take.js";
