//! Data stores: encryption at rest and public access.

rules! {
    s3_bucket_unencrypted,
}
