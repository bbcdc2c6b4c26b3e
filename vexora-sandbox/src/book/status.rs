//! The statuses of what the book keeps, as the gateway's `data.status`
//! codes and messages.

use serde::Serialize;

/// An order's business status, as `data.status` codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrderStatus {
    Paying,
    Paid,
    PartlyPaid,
    Failed,
}

impl OrderStatus {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::Paying => "0015",
            Self::Paid => "0000",
            Self::PartlyPaid => "0001",
            Self::Failed => "00029",
        }
    }

    pub(crate) fn message(self) -> &'static str {
        match self {
            Self::Paying => "Paying",
            Self::Paid => "success",
            Self::PartlyPaid => "partial payment",
            Self::Failed => "failed",
        }
    }
}

impl Serialize for OrderStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// The status of what the gateway accepts and finishes later (a payout,
/// or a record of a kind served from its spec), as `data.status` codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProcessStatus {
    /// Accepted, not finished (`0015`): money going out is held.
    Processing,
    /// Done (`0000`): its money has moved.
    Succeeded,
    /// Failed (`00029`): money held for it is available again.
    Failed,
}

impl ProcessStatus {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::Processing => "0015",
            Self::Succeeded => "0000",
            Self::Failed => "00029",
        }
    }

    pub(crate) fn message(self) -> &'static str {
        match self {
            Self::Processing => "processing",
            Self::Succeeded => "success",
            Self::Failed => "failed",
        }
    }
}

impl Serialize for ProcessStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}
