import './types';
import './errors';
import './mutations';
import './settlement';
import './vouchers';
