// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title DataShare — ownership, price, escrowed access and key delivery for encrypted datasets
/// @notice A dataset is a file encrypted with its own key and stored on IPFS. This contract records
/// who owns each dataset, what access costs and who has been given the key. An account first
/// registers its encryption key (`registerKey`); others share with it by publishing the dataset key
/// wrapped for that key. Buyers pay the exact price into escrow with `requestAccess`; the owner (or a
/// device the owner made an operator) answers with `fulfil`, which publishes the dataset key wrapped
/// for the buyer and releases the escrow to the owner, or with `decline`, which credits the escrow
/// back. `fulfil` requires the request to be still pending, so a buyer who took the escrow back with
/// `refund` (allowed once `refundTimeout` has passed without an answer) cannot also get the key from
/// a late answer. `grantAccess` and `grantMany` share directly, with no request.
/// The rule for the money: an escrow goes to the owner exactly when the requester receives the key
/// of the current version (`fulfil`, or `grantAccess`/`grantMany` to an account with a pending
/// request), and back to the requester otherwise (`refund`, `decline`, `revoke`). Money leaves the
/// contract only through `withdraw` and `refund`.
/// @dev Storage holds only what the contract enforces or clients must look up (owner, price, version,
/// access state, escrow, balances, encryption keys, operators). Everything read only off-chain
/// (metadata CIDs, key envelopes) travels in events: a grantee recovers its key from the
/// AccessGranted event of the version it holds. Dataset ids are sequential and start at 1.
contract DataShare {
    /// @notice Access state of one account for one dataset.
    enum Access {
        None, // never granted, and no pending request
        Requested, // paid into escrow, waiting for an answer; may hold the key of an older version
        Granted, // holds the key of the version recorded with the grant
        Revoked // gets no future versions; may not request again (the owner may grant again)
    }

    /// @dev One storage slot: owner (160 bits) + price (96 bits).
    struct Dataset {
        address owner;
        uint96 price;
    }

    /// @dev One storage slot: 8 + 64 + 64 + 96 bits. `version` is the version whose key the account
    /// holds (0 if none), also while a request for a newer version is pending or after a revoke.
    struct Grant {
        Access state;
        uint64 version;
        uint64 requestedAt;
        uint96 escrow;
    }

    /// @notice Seconds after a request before the requester may take the escrow back.
    uint256 public immutable refundTimeout;

    /// @dev Id of the next dataset; starts at 1 (set in the constructor, so the first publish does
    /// not pay for a zero-to-non-zero write).
    uint256 private _nextId;

    mapping(uint256 id => Dataset) private _datasets;
    /// @dev Number of updates of a dataset; its version is this plus one. Written only by `update`.
    mapping(uint256 id => uint64) private _updates;
    mapping(uint256 id => mapping(address account => Grant)) private _access;

    /// @notice The X25519 public key an account registered for receiving dataset keys (0 if none).
    /// `requestAccess` requires one. The KeyRegistered events hold every key an account had.
    mapping(address account => bytes32) public encryptionKey;

    /// @notice Whether `device` may answer requests, grant and revoke access on behalf of `account`.
    mapping(address account => mapping(address device => bool)) public isOperator;

    /// @notice Wei an account can take out with `withdraw`: sales, and escrow returned by `decline`
    /// and `revoke`.
    mapping(address account => uint256) public withdrawable;

    bool private transient _entered;

    /// @notice A key was registered or replaced.
    /// @param account the account the key belongs to
    /// @param publicKey the X25519 public key
    event KeyRegistered(address indexed account, bytes32 publicKey);

    /// @notice An account allowed or disallowed a device to answer, grant and revoke for it.
    /// @param account the account
    /// @param device the operator's address
    /// @param allowed true when added, false when removed
    event OperatorSet(address indexed account, address indexed device, bool allowed);

    /// @notice A dataset was published (its version is 1).
    /// @param id the new dataset id
    /// @param owner the account that owns it
    /// @param price the access price in wei
    /// @param metadataCid the binary CID of the metadata document on IPFS
    /// @param ownerEnvelope the dataset key, encrypted to the owner's encryption key
    event Published(uint256 indexed id, address indexed owner, uint256 price, bytes metadataCid, bytes ownerEnvelope);

    /// @notice A new version of a dataset, encrypted with a new key.
    /// @param id the dataset id
    /// @param owner the owner
    /// @param version the new version number
    /// @param metadataCid the binary CID of the new metadata document
    /// @param ownerEnvelope the new dataset key, encrypted to the owner's encryption key
    event Updated(uint256 indexed id, address indexed owner, uint64 version, bytes metadataCid, bytes ownerEnvelope);

    /// @notice The access price of a dataset changed. Pending requests keep the amount they paid.
    /// @param id the dataset id
    /// @param owner the owner
    /// @param price the new price in wei
    event PriceChanged(uint256 indexed id, address indexed owner, uint256 price);

    /// @notice An account paid for access; the amount is held in escrow.
    /// @param id the dataset id
    /// @param owner the owner, who is expected to grant
    /// @param requester the paying account
    /// @param amount wei held in escrow
    event AccessRequested(uint256 indexed id, address indexed owner, address indexed requester, uint256 amount);

    /// @notice The dataset key of the current version was delivered to an account.
    /// @param id the dataset id
    /// @param owner the owner (the sender may be one of its operators)
    /// @param grantee the account that received the key
    /// @param version the version the key opens
    /// @param paid the escrow released to the owner (0 for direct sharing and free requests)
    /// @param fulfilled true when the grant answered a pending request (by `fulfil`, or a direct
    /// grant to an account that had one)
    /// @param envelope the dataset key, encrypted to the grantee's registered key
    event AccessGranted(
        uint256 indexed id,
        address indexed owner,
        address indexed grantee,
        uint64 version,
        uint256 paid,
        bool fulfilled,
        bytes envelope
    );

    /// @notice The owner declined a pending request; the account is not banned and may request again.
    /// @param id the dataset id
    /// @param owner the owner (the sender may be one of its operators)
    /// @param requester the account whose request was declined
    /// @param refunded escrow credited back to the requester's withdrawable balance
    event Declined(uint256 indexed id, address indexed owner, address indexed requester, uint256 refunded);

    /// @notice An account was cut off from future versions; a pending request of it was declined.
    /// @param id the dataset id
    /// @param owner the owner
    /// @param grantee the account revoked
    /// @param refunded escrow credited back to the account's withdrawable balance
    event AccessRevoked(uint256 indexed id, address indexed owner, address indexed grantee, uint256 refunded);

    /// @notice A requester took back an escrow that was not answered in time.
    /// @param id the dataset id
    /// @param owner the owner
    /// @param requester the account refunded
    /// @param amount wei sent back
    event Refunded(uint256 indexed id, address indexed owner, address indexed requester, uint256 amount);

    /// @notice An account took out its withdrawable balance.
    /// @param account the account
    /// @param amount wei sent
    event Withdrawn(address indexed account, uint256 amount);

    /// @notice No dataset has this id.
    error DatasetNotFound(uint256 id);
    /// @notice Only the owner may do this.
    error NotOwner(uint256 id, address caller);
    /// @notice Only the owner or one of its operators may do this.
    error NotOwnerOrOperator(uint256 id, address caller);
    /// @notice The metadata CID is empty.
    error EmptyCid();
    /// @notice The key envelope is empty.
    error EmptyEnvelope();
    /// @notice Prices are limited to 2^96-1 wei.
    error PriceTooHigh(uint256 price);
    /// @notice The encryption key is zero.
    error InvalidKey();
    /// @notice The operator is the zero address or the account itself.
    error InvalidOperator(address device);
    /// @notice The grantee is the zero address or the owner.
    error InvalidGrantee(address grantee);
    /// @notice `grantMany` was given no grantees.
    error NoGrantees();
    /// @notice `grantMany` was given a different number of grantees and envelopes.
    error LengthMismatch(uint256 grantees, uint256 envelopes);
    /// @notice The account has registered no encryption key, so no key could be delivered to it.
    error NoEncryptionKey(address account);
    /// @notice The refund timeout must be at least one second.
    error ZeroRefundTimeout();
    /// @notice The owner already has the key of its own dataset.
    error OwnerCannotRequest(uint256 id);
    /// @notice The payment must equal the price exactly.
    error WrongPayment(uint256 price, uint256 sent);
    /// @notice The account already has a pending request.
    error AlreadyRequested(uint256 id, address account);
    /// @notice The account already holds the key of the current version.
    error AlreadyGranted(uint256 id, address account);
    /// @notice The owner revoked this account; only the owner can grant it again.
    error RevokedByOwner(uint256 id, address account);
    /// @notice There is nothing to revoke: the account has no request and no grant.
    error NothingToRevoke(uint256 id, address account);
    /// @notice The account has no pending request for this dataset.
    error NoPendingRequest(uint256 id, address account);
    /// @notice The refund timeout has not passed yet.
    error RefundNotYetAvailable(uint256 id, uint256 availableAt);
    /// @notice The withdrawable balance is zero.
    error NothingToWithdraw();
    /// @notice Sending ether to the account failed.
    error TransferFailed(address to, uint256 amount);
    /// @notice A call tried to re-enter `withdraw` or `refund`.
    error Reentrancy();

    modifier nonReentrant() {
        if (_entered) revert Reentrancy();
        _entered = true;
        _;
        _entered = false;
    }

    /// @param refundTimeout_ seconds a requester must wait for an answer before `refund` is allowed
    /// (not zero: the owner must have a chance to answer)
    constructor(uint256 refundTimeout_) {
        if (refundTimeout_ == 0) revert ZeroRefundTimeout();
        refundTimeout = refundTimeout_;
        _nextId = 1;
    }

    /// @notice Registers (or replaces) the caller's X25519 encryption key, so others can share with it.
    /// @param publicKey the 32-byte X25519 public key
    function registerKey(bytes32 publicKey) external {
        if (publicKey == bytes32(0)) revert InvalidKey();
        encryptionKey[msg.sender] = publicKey;
        emit KeyRegistered(msg.sender, publicKey);
    }

    /// @notice Lets a device key answer requests, grant and revoke access for the caller's datasets,
    /// or stops it.
    /// @param device the device's address
    /// @param allowed true to add, false to remove
    function setOperator(address device, bool allowed) external {
        if (device == address(0) || device == msg.sender) revert InvalidOperator(device);
        isOperator[msg.sender][device] = allowed;
        emit OperatorSet(msg.sender, device, allowed);
    }

    /// @notice Publishes a dataset owned by the caller.
    /// @param metadataCid the binary CID of the metadata document on IPFS
    /// @param price the access price in wei (0 for free access on request)
    /// @param ownerEnvelope the dataset key encrypted to the caller's encryption key
    /// @return id the new dataset id
    function publish(bytes calldata metadataCid, uint256 price, bytes calldata ownerEnvelope)
        external
        returns (uint256 id)
    {
        if (metadataCid.length == 0) revert EmptyCid();
        if (ownerEnvelope.length == 0) revert EmptyEnvelope();
        if (price > type(uint96).max) revert PriceTooHigh(price);
        id = _nextId++;
        _datasets[id] = Dataset(msg.sender, uint96(price));
        emit Published(id, msg.sender, price, metadataCid, ownerEnvelope);
    }

    /// @notice Publishes the next version of a dataset, encrypted with a new key. Grantees keep the
    /// keys they have; the owner grants the new version to those who should keep access.
    /// @param id the dataset id
    /// @param metadataCid the binary CID of the new metadata document
    /// @param ownerEnvelope the new dataset key encrypted to the owner's encryption key
    function update(uint256 id, bytes calldata metadataCid, bytes calldata ownerEnvelope) external {
        address owner = _ownerOf(id);
        if (msg.sender != owner) revert NotOwner(id, msg.sender);
        if (metadataCid.length == 0) revert EmptyCid();
        if (ownerEnvelope.length == 0) revert EmptyEnvelope();
        uint64 updates = _updates[id] + 1;
        _updates[id] = updates;
        emit Updated(id, owner, updates + 1, metadataCid, ownerEnvelope);
    }

    /// @notice Changes the access price. Requests already paid keep their escrow.
    /// @param id the dataset id
    /// @param price the new price in wei
    function setPrice(uint256 id, uint256 price) external {
        address owner = _ownerOf(id);
        if (msg.sender != owner) revert NotOwner(id, msg.sender);
        if (price > type(uint96).max) revert PriceTooHigh(price);
        _datasets[id].price = uint96(price);
        emit PriceChanged(id, owner, price);
    }

    /// @notice Asks for the key of the current version, paying exactly the price into escrow. The
    /// caller must have registered an encryption key. A holder of an older version may ask (and pay)
    /// for the current one.
    /// @param id the dataset id
    function requestAccess(uint256 id) external payable {
        Dataset memory d = _datasets[id];
        if (d.owner == address(0)) revert DatasetNotFound(id);
        if (msg.sender == d.owner) revert OwnerCannotRequest(id);
        if (encryptionKey[msg.sender] == bytes32(0)) revert NoEncryptionKey(msg.sender);
        if (msg.value != d.price) revert WrongPayment(d.price, msg.value);
        Grant memory g = _access[id][msg.sender];
        if (g.state == Access.Requested) revert AlreadyRequested(id, msg.sender);
        if (g.state == Access.Revoked) revert RevokedByOwner(id, msg.sender);
        if (g.state == Access.Granted && g.version == _updates[id] + 1) revert AlreadyGranted(id, msg.sender);
        _access[id][msg.sender] = Grant(Access.Requested, g.version, uint64(block.timestamp), uint96(msg.value));
        emit AccessRequested(id, d.owner, msg.sender, msg.value);
    }

    /// @notice Answers a pending request with the current version's key and releases its escrow to
    /// the owner's withdrawable balance. Reverts with `NoPendingRequest` when the request was
    /// refunded, declined or already answered, so no key goes out unpaid by mistake.
    /// @param id the dataset id
    /// @param requester the account that requested
    /// @param envelope the dataset key encrypted to the requester's registered encryption key
    function fulfil(uint256 id, address requester, bytes calldata envelope) external {
        address owner = _ownerOrOperator(id);
        Grant memory g = _access[id][requester];
        if (g.state != Access.Requested) revert NoPendingRequest(id, requester);
        if (envelope.length == 0) revert EmptyEnvelope();
        _grant(id, owner, requester, _updates[id] + 1, g, envelope);
        if (g.escrow != 0) withdrawable[owner] += g.escrow;
    }

    /// @notice Delivers the current version's key to an account: direct sharing, no request or
    /// payment needed. It also re-grants a revoked account and gives a holder of an older version
    /// the current one. If the account has a pending request, the grant answers it as `fulfil`
    /// would: the account receives what it paid for, so its escrow goes to the owner.
    /// @param id the dataset id
    /// @param grantee the account receiving the key
    /// @param envelope the dataset key encrypted to the grantee's registered encryption key
    function grantAccess(uint256 id, address grantee, bytes calldata envelope) external {
        address owner = _ownerOrOperator(id);
        if (grantee == address(0) || grantee == owner) revert InvalidGrantee(grantee);
        if (envelope.length == 0) revert EmptyEnvelope();
        uint64 version = _updates[id] + 1;
        Grant memory g = _access[id][grantee];
        if (g.state == Access.Granted && g.version == version) revert AlreadyGranted(id, grantee);
        _grant(id, owner, grantee, version, g, envelope);
        if (g.escrow != 0) withdrawable[owner] += g.escrow;
    }

    /// @notice `grantAccess` for many accounts in one transaction, typically to give a new version
    /// to the accounts that should keep access. Accounts that already hold the current version are
    /// skipped (no event), so a batch that races a `fulfil` of one of them still goes through.
    /// @param id the dataset id
    /// @param grantees the accounts receiving the key
    /// @param envelopes the dataset key encrypted to each grantee's registered key, in the same order
    function grantMany(uint256 id, address[] calldata grantees, bytes[] calldata envelopes) external {
        address owner = _ownerOrOperator(id);
        uint256 n = grantees.length;
        if (n == 0) revert NoGrantees();
        if (n != envelopes.length) revert LengthMismatch(n, envelopes.length);
        uint64 version = _updates[id] + 1;
        uint256 released;
        for (uint256 i; i < n; ++i) {
            address grantee = grantees[i];
            if (grantee == address(0) || grantee == owner) revert InvalidGrantee(grantee);
            bytes calldata envelope = envelopes[i];
            if (envelope.length == 0) revert EmptyEnvelope();
            Grant memory g = _access[id][grantee];
            if (g.state == Access.Granted && g.version == version) continue;
            _grant(id, owner, grantee, version, g, envelope);
            released += g.escrow;
        }
        if (released != 0) withdrawable[owner] += released;
    }

    /// @notice Declines a pending request: its escrow is credited back to the requester's
    /// withdrawable balance. The requester is not banned (it keeps any older version it holds and
    /// may request again); `revoke` bans.
    /// @param id the dataset id
    /// @param requester the account that requested
    function decline(uint256 id, address requester) external {
        address owner = _ownerOrOperator(id);
        Grant memory g = _access[id][requester];
        if (g.state != Access.Requested) revert NoPendingRequest(id, requester);
        _endRequest(id, requester, g.version);
        if (g.escrow != 0) withdrawable[requester] += g.escrow;
        emit Declined(id, owner, requester, g.escrow);
    }

    /// @notice Cuts an account off from future versions (keys already delivered cannot be taken
    /// back); a pending request is declined and its escrow credited to the requester's withdrawable
    /// balance.
    /// @param id the dataset id
    /// @param grantee the account to revoke
    function revoke(uint256 id, address grantee) external {
        address owner = _ownerOrOperator(id);
        Grant memory g = _access[id][grantee];
        if (g.state != Access.Requested && g.state != Access.Granted) revert NothingToRevoke(id, grantee);
        _access[id][grantee] = Grant(Access.Revoked, g.version, 0, 0);
        if (g.escrow != 0) withdrawable[grantee] += g.escrow;
        emit AccessRevoked(id, owner, grantee, g.escrow);
    }

    /// @notice Takes back the escrow of a request that was not answered within `refundTimeout`.
    /// An older version the caller holds stays granted.
    /// @param id the dataset id
    function refund(uint256 id) external nonReentrant {
        Grant memory g = _access[id][msg.sender];
        if (g.state != Access.Requested) revert NoPendingRequest(id, msg.sender);
        uint256 availableAt = uint256(g.requestedAt) + refundTimeout;
        if (block.timestamp < availableAt) revert RefundNotYetAvailable(id, availableAt);
        _endRequest(id, msg.sender, g.version);
        emit Refunded(id, _datasets[id].owner, msg.sender, g.escrow);
        if (g.escrow != 0) _send(msg.sender, g.escrow);
    }

    /// @notice Sends the caller its whole withdrawable balance.
    function withdraw() external nonReentrant {
        uint256 amount = withdrawable[msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        withdrawable[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
        _send(msg.sender, amount);
    }

    /// @notice Owner, price and current version of a dataset.
    /// @param id the dataset id
    /// @return owner the owning account
    /// @return price the access price in wei
    /// @return version the current version (1 for a dataset never updated)
    function datasetOf(uint256 id) external view returns (address owner, uint256 price, uint64 version) {
        Dataset memory d = _datasets[id];
        if (d.owner == address(0)) revert DatasetNotFound(id);
        return (d.owner, d.price, _updates[id] + 1);
    }

    /// @notice Access state of an account for a dataset.
    /// @param id the dataset id
    /// @param account the account
    /// @return state None, Requested (a request is pending), Granted or Revoked
    /// @return version the version whose key the account holds (0 if none); it holds the current
    /// version when this equals datasetOf's version
    /// @return escrow wei held in escrow for a pending request
    /// @return requestedAt timestamp of the pending request (0 if none)
    /// @return refundableAt timestamp from which the requester may call `refund` (0 if no request)
    function accessOf(uint256 id, address account)
        external
        view
        returns (Access state, uint64 version, uint256 escrow, uint64 requestedAt, uint256 refundableAt)
    {
        Grant memory g = _access[id][account];
        if (g.state == Access.Requested) refundableAt = uint256(g.requestedAt) + refundTimeout;
        return (g.state, g.version, g.escrow, g.requestedAt, refundableAt);
    }

    /// @notice Number of datasets ever published; ids run from 1 to this number.
    function datasetCount() external view returns (uint256) {
        return _nextId - 1;
    }

    function _ownerOf(uint256 id) private view returns (address owner) {
        owner = _datasets[id].owner;
        if (owner == address(0)) revert DatasetNotFound(id);
    }

    function _ownerOrOperator(uint256 id) private view returns (address owner) {
        owner = _ownerOf(id);
        if (msg.sender != owner && !isOperator[owner][msg.sender]) revert NotOwnerOrOperator(id, msg.sender);
    }

    /// @dev Records the grant of `version` and emits its event; the caller credits the escrow.
    function _grant(uint256 id, address owner, address grantee, uint64 version, Grant memory g, bytes calldata envelope)
        private
    {
        _access[id][grantee] = Grant(Access.Granted, version, 0, 0);
        emit AccessGranted(id, owner, grantee, version, g.escrow, g.state == Access.Requested, envelope);
    }

    /// @dev Ends a pending request without a grant: back to the older version held, or to nothing.
    function _endRequest(uint256 id, address account, uint64 version) private {
        if (version == 0) delete _access[id][account];
        else _access[id][account] = Grant(Access.Granted, version, 0, 0);
    }

    function _send(address to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }
}
