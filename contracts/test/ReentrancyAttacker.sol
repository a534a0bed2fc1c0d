// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {DataShare} from "../DataShare.sol";

/// @title ReentrancyAttacker — a test account that tries to re-enter DataShare when paid
/// @notice Used only by the contract tests. When DataShare sends it ether from `withdraw` or
/// `refund`, its `receive` calls back into `withdraw` or `refund` and records what happened.
contract ReentrancyAttacker {
    enum Reenter {
        Nothing,
        Withdraw,
        Refund
    }

    DataShare public immutable target;
    /// @notice What `receive` calls back into on the next payment.
    Reenter public reenter;
    /// @notice Whether `receive` reverts, to test a recipient that refuses ether.
    bool public rejectPayments;
    /// @notice Dataset id used when re-entering `refund`.
    uint256 public datasetId;
    /// @notice Number of re-entrant calls that succeeded (must stay 0).
    uint256 public reentries;
    /// @notice Revert data of the last re-entrant call that failed.
    bytes public lastError;
    /// @notice Wei received in total.
    uint256 public received;

    constructor(DataShare target_) {
        target = target_;
    }

    /// @notice Publishes a dataset owned by this contract.
    function publish(bytes calldata cid, uint256 price, bytes calldata envelope) external returns (uint256) {
        return target.publish(cid, price, envelope);
    }

    /// @notice Registers an encryption key for this contract (requestAccess requires one).
    function registerKey(bytes32 publicKey) external {
        target.registerKey(publicKey);
    }

    /// @notice Requests access to a dataset, paying msg.value.
    function request(uint256 id) external payable {
        target.requestAccess{value: msg.value}(id);
    }

    /// @notice Chooses what the next payment re-enters and whether payments are refused.
    function arm(Reenter what, uint256 id, bool reject) external {
        reenter = what;
        datasetId = id;
        rejectPayments = reject;
    }

    /// @notice Calls `withdraw` on the target.
    function withdraw() external {
        target.withdraw();
    }

    /// @notice Calls `refund` on the target.
    function refund(uint256 id) external {
        target.refund(id);
    }

    receive() external payable {
        if (rejectPayments) revert("payments refused");
        received += msg.value;
        Reenter what = reenter;
        reenter = Reenter.Nothing;
        if (what == Reenter.Withdraw) {
            try target.withdraw() {
                reentries++;
            } catch (bytes memory err) {
                lastError = err;
            }
        } else if (what == Reenter.Refund) {
            try target.refund(datasetId) {
                reentries++;
            } catch (bytes memory err) {
                lastError = err;
            }
        }
    }
}
