//! Azure and Google Cloud resources of Terraform modules.

rules! {
}
