export namespace app {
	
	export class AppState {
	    state: string;
	    code?: string;
	    message: string;
	    purpose?: string;
	
	    static createFrom(source: any = {}) {
	        return new AppState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.code = source["code"];
	        this.message = source["message"];
	        this.purpose = source["purpose"];
	    }
	}
	export class ApprovalSummary {
	    action: string;
	    dataset: string;
	    account: string;
	    network: string;
	    price: string;
	    fee: string;
	    gas: number;
	    balance: string;
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new ApprovalSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.action = source["action"];
	        this.dataset = source["dataset"];
	        this.account = source["account"];
	        this.network = source["network"];
	        this.price = source["price"];
	        this.fee = source["fee"];
	        this.gas = source["gas"];
	        this.balance = source["balance"];
	        this.note = source["note"];
	    }
	}
	export class ApprovalRequest {
	    id: string;
	    summary: ApprovalSummary;
	
	    static createFrom(source: any = {}) {
	        return new ApprovalRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.summary = this.convertValues(source["summary"], ApprovalSummary);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Pairing {
	    uri: string;
	    qr: string;
	    // Go type: time
	    expiry: any;
	
	    static createFrom(source: any = {}) {
	        return new Pairing(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.uri = source["uri"];
	        this.qr = source["qr"];
	        this.expiry = this.convertValues(source["expiry"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PhoneRequest {
	    id: string;
	    jobId: string;
	    summary: ApprovalSummary;
	
	    static createFrom(source: any = {}) {
	        return new PhoneRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.jobId = source["jobId"];
	        this.summary = this.convertValues(source["summary"], ApprovalSummary);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Settings {
	    relayUrl: string;
	    projectId: string;
	    defaultRelayUrl: string;
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.relayUrl = source["relayUrl"];
	        this.projectId = source["projectId"];
	        this.defaultRelayUrl = source["defaultRelayUrl"];
	    }
	}

}

export namespace share {
	
	export class AccessGrantee {
	    account: string;
	    version: number;
	    current: boolean;
	    // Go type: time
	    since: any;
	    link?: string;
	
	    static createFrom(source: any = {}) {
	        return new AccessGrantee(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = source["account"];
	        this.version = source["version"];
	        this.current = source["current"];
	        this.since = this.convertValues(source["since"], null);
	        this.link = source["link"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AccessRequest {
	    account: string;
	    amount: string;
	    // Go type: time
	    since: any;
	
	    static createFrom(source: any = {}) {
	        return new AccessRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = source["account"];
	        this.amount = source["amount"];
	        this.since = this.convertValues(source["since"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Dataset {
	    id: number;
	    jobId: string;
	    name: string;
	    size: number;
	    mediaType: string;
	    sha256: string;
	    metadataCid: string;
	    payloadCid: string;
	    owner: string;
	    price: string;
	    public: boolean;
	    version: number;
	    status: string;
	    error?: string;
	    stage?: string;
	    txHash: string;
	    txUrl: string;
	    block: number;
	    // Go type: time
	    createdAt: any;
	    grantee?: string;
	
	    static createFrom(source: any = {}) {
	        return new Dataset(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.jobId = source["jobId"];
	        this.name = source["name"];
	        this.size = source["size"];
	        this.mediaType = source["mediaType"];
	        this.sha256 = source["sha256"];
	        this.metadataCid = source["metadataCid"];
	        this.payloadCid = source["payloadCid"];
	        this.owner = source["owner"];
	        this.price = source["price"];
	        this.public = source["public"];
	        this.version = source["version"];
	        this.status = source["status"];
	        this.error = source["error"];
	        this.stage = source["stage"];
	        this.txHash = source["txHash"];
	        this.txUrl = source["txUrl"];
	        this.block = source["block"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.grantee = source["grantee"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DatasetAccess {
	    dataset: number;
	    owner: string;
	    version: number;
	    grantees: AccessGrantee[];
	    requests: AccessRequest[];
	    revoked: AccessGrantee[];
	
	    static createFrom(source: any = {}) {
	        return new DatasetAccess(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dataset = source["dataset"];
	        this.owner = source["owner"];
	        this.version = source["version"];
	        this.grantees = this.convertValues(source["grantees"], AccessGrantee);
	        this.requests = this.convertValues(source["requests"], AccessRequest);
	        this.revoked = this.convertValues(source["revoked"], AccessGrantee);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Event {
	    kind: string;
	    dataset: number;
	    version?: number;
	    owner: string;
	    account?: string;
	    link?: string;
	    amount?: string;
	    block: number;
	    // Go type: time
	    time: any;
	    txHash: string;
	    txUrl?: string;
	
	    static createFrom(source: any = {}) {
	        return new Event(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.dataset = source["dataset"];
	        this.version = source["version"];
	        this.owner = source["owner"];
	        this.account = source["account"];
	        this.link = source["link"];
	        this.amount = source["amount"];
	        this.block = source["block"];
	        this.time = this.convertValues(source["time"], null);
	        this.txHash = source["txHash"];
	        this.txUrl = source["txUrl"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class KeyStatus {
	    account: string;
	    registered: boolean;
	    matches: boolean;
	    publicKey: string;
	    onChain?: string;
	    message?: string;
	
	    static createFrom(source: any = {}) {
	        return new KeyStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = source["account"];
	        this.registered = source["registered"];
	        this.matches = source["matches"];
	        this.publicKey = source["publicKey"];
	        this.onChain = source["onChain"];
	        this.message = source["message"];
	    }
	}
	export class Link {
	    dataset: number;
	    url: string;
	    account: string;
	    label?: string;
	    version: number;
	    current: boolean;
	    revoked: boolean;
	    txHash?: string;
	    txUrl?: string;
	    // Go type: time
	    createdAt: any;
	
	    static createFrom(source: any = {}) {
	        return new Link(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dataset = source["dataset"];
	        this.url = source["url"];
	        this.account = source["account"];
	        this.label = source["label"];
	        this.version = source["version"];
	        this.current = source["current"];
	        this.revoked = source["revoked"];
	        this.txHash = source["txHash"];
	        this.txUrl = source["txUrl"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Recipient {
	    account: string;
	    registered: boolean;
	    message?: string;
	
	    static createFrom(source: any = {}) {
	        return new Recipient(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = source["account"];
	        this.registered = source["registered"];
	        this.message = source["message"];
	    }
	}
	export class RevokeResult {
	    dataset: number;
	    grantee: string;
	    refunded: string;
	    txHash: string;
	    txUrl?: string;
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new RevokeResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dataset = source["dataset"];
	        this.grantee = source["grantee"];
	        this.refunded = source["refunded"];
	        this.txHash = source["txHash"];
	        this.txUrl = source["txUrl"];
	        this.note = source["note"];
	    }
	}
	export class ShareResult {
	    dataset: number;
	    name: string;
	    version: number;
	    grantees: string[];
	    txHashes: string[];
	    txUrls?: string[];
	
	    static createFrom(source: any = {}) {
	        return new ShareResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dataset = source["dataset"];
	        this.name = source["name"];
	        this.version = source["version"];
	        this.grantees = source["grantees"];
	        this.txHashes = source["txHashes"];
	        this.txUrls = source["txUrls"];
	    }
	}
	export class Status {
	    network: string;
	    networkTitle: string;
	    chainId: number;
	    rpcUrl: string;
	    contract: string;
	    ipfsMode: string;
	    ipfsStarted: boolean;
	    ipfsNote: string;
	    ipfsNetwork: string;
	    ipfsPeers: number;
	    ipfsPeerId: string;
	    ipfsRepoSize: number;
	    account: string;
	    balance: string;
	    deviceAddress: string;
	    keysBackend: string;
	    dataDir: string;
	    block: number;
	    key: KeyStatus;
	    legacyChain?: string;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.network = source["network"];
	        this.networkTitle = source["networkTitle"];
	        this.chainId = source["chainId"];
	        this.rpcUrl = source["rpcUrl"];
	        this.contract = source["contract"];
	        this.ipfsMode = source["ipfsMode"];
	        this.ipfsStarted = source["ipfsStarted"];
	        this.ipfsNote = source["ipfsNote"];
	        this.ipfsNetwork = source["ipfsNetwork"];
	        this.ipfsPeers = source["ipfsPeers"];
	        this.ipfsPeerId = source["ipfsPeerId"];
	        this.ipfsRepoSize = source["ipfsRepoSize"];
	        this.account = source["account"];
	        this.balance = source["balance"];
	        this.deviceAddress = source["deviceAddress"];
	        this.keysBackend = source["keysBackend"];
	        this.dataDir = source["dataDir"];
	        this.block = source["block"];
	        this.key = this.convertValues(source["key"], KeyStatus);
	        this.legacyChain = source["legacyChain"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class WalletStatus {
	    approval: string;
	    connected: boolean;
	    account: string;
	    walletName: string;
	    walletUrl: string;
	    // Go type: time
	    expiry: any;
	    relayUrl: string;
	    projectId: string;
	    unavailable?: string;
	
	    static createFrom(source: any = {}) {
	        return new WalletStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.approval = source["approval"];
	        this.connected = source["connected"];
	        this.account = source["account"];
	        this.walletName = source["walletName"];
	        this.walletUrl = source["walletUrl"];
	        this.expiry = this.convertValues(source["expiry"], null);
	        this.relayUrl = source["relayUrl"];
	        this.projectId = source["projectId"];
	        this.unavailable = source["unavailable"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

