import './types';
import './errors';
import './queries';
import './payloads';
import './mutations';
